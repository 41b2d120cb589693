import type { NextFunction, Request, Response } from 'express';
import { PUBLIC_PRINCIPAL, type Principal } from '../access/principal.js';
import type { ErrorCode } from '../platform/errors.js';
import { refuse as answerError } from '../server/http-errors.js';
import { PURPOSES_NEEDING_CASE } from '../access/purposes.js';
import { isPurpose, PURPOSE_NAMES } from '../access/vocabulary.js';
import { TokenError, type TokenVerifier } from './tokens.js';

function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  answerError(res, status, code, message);
}

/** The principal established for this request by `authenticate`. */
export function principalOf(res: Response): Principal {
  return (res.locals.principal as Principal | undefined) ?? PUBLIC_PRINCIPAL;
}

/**
 * Who a pagination cursor is bound to: the caller's identity, not the purpose (which changes
 * from request to request while the caller pages on). Anonymous callers share one binding. The
 * request context binds the gateway's cursor codec to it (src/server/app.ts).
 */
export function cursorBindingOf(principal: Principal): string | null {
  if (principal.role === 'public') return null;
  return JSON.stringify([principal.role, principal.subject, principal.agency, principal.citizenNationalId]);
}

/** What a caller presents: the Authorization, X-Purpose and X-Case-Reference headers (or a WebSocket's connection_init). */
export interface CallerCredentials {
  authorization?: unknown;
  purpose?: unknown;
  caseReference?: unknown;
}

/** A caller refused, with the HTTP status and error code the gateway answers. */
export interface CallerRefusal {
  status: 400 | 401;
  code: ErrorCode;
  message: string;
}

/**
 * The principal of a caller's credentials, or why they are refused: no Authorization is the
 * public caller; a bad, expired or forged token is refused (401), never served as public. One
 * rule for HTTP (`authenticate`) and for subscriptions over WebSocket (connection_init).
 */
export async function resolveCaller(verify: TokenVerifier, credentials: CallerCredentials): Promise<Principal | CallerRefusal> {
  const header = credentials.authorization;
  let principal: Principal = PUBLIC_PRINCIPAL;
  if (header !== undefined) {
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*)$/.exec(header.trim()) : null;
    if (!match) return { status: 401, code: 'UNAUTHENTICATED', message: 'The Authorization header must be "Bearer <JWT>"' };
    try {
      principal = { ...(await verify(match[1]!)), purpose: null, caseReference: null };
    } catch (error) {
      if (error instanceof TokenError) return { status: 401, code: 'UNAUTHENTICATED', message: error.message };
      throw error;
    }
  }

  const { purpose, caseReference } = credentials;
  if (purpose !== undefined) {
    if (!isPurpose(purpose)) {
      return { status: 400, code: 'BAD_USER_INPUT', message: `X-Purpose must be one of: ${PURPOSE_NAMES.join(', ')}` };
    }
    if (PURPOSES_NEEDING_CASE.includes(purpose) && !caseReference) {
      return { status: 400, code: 'BAD_USER_INPUT', message: `X-Purpose ${purpose} needs an X-Case-Reference (for example the dossier code)` };
    }
    principal = { ...principal, purpose };
  }
  if (typeof caseReference === 'string') {
    if (!/^[\p{L}\p{N} ._/:-]{1,64}$/u.test(caseReference)) {
      return { status: 400, code: 'BAD_USER_INPUT', message: 'X-Case-Reference must be 1 to 64 letters, digits or . _ / : -' };
    }
    principal = { ...principal, caseReference };
  }
  return principal;
}

export function isRefusal(value: Principal | CallerRefusal): value is CallerRefusal {
  return 'status' in value;
}

/**
 * Establishes the caller before GraphQL runs (resolveCaller): a refused caller is answered here
 * with its status and code.
 */
export function authenticate(verify: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let caller: Principal | CallerRefusal;
    try {
      caller = await resolveCaller(verify, {
        authorization: req.headers.authorization,
        purpose: req.headers['x-purpose'],
        caseReference: req.headers['x-case-reference'],
      });
    } catch (error) {
      return next(error);
    }
    if (isRefusal(caller)) return refuse(res, caller.status, caller.code, caller.message);
    res.locals.principal = caller;
    next();
  };
}
