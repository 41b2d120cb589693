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

/**
 * Establishes the caller before GraphQL runs: no Authorization header is the public caller; a
 * header with a bad, expired or forged token is refused with 401, never served as public.
 */
export function authenticate(verify: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    let principal: Principal = PUBLIC_PRINCIPAL;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*)$/.exec(header.trim());
      if (!match) return refuse(res, 401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <JWT>"');
      try {
        principal = { ...(await verify(match[1]!)), purpose: null, caseReference: null };
      } catch (error) {
        if (error instanceof TokenError) return refuse(res, 401, 'UNAUTHENTICATED', error.message);
        return next(error);
      }
    }

    const purpose = req.headers['x-purpose'];
    const caseReference = req.headers['x-case-reference'];
    if (purpose !== undefined) {
      if (!isPurpose(purpose)) {
        return refuse(res, 400, 'BAD_USER_INPUT', `X-Purpose must be one of: ${PURPOSE_NAMES.join(', ')}`);
      }
      if (PURPOSES_NEEDING_CASE.includes(purpose) && !caseReference) {
        return refuse(res, 400, 'BAD_USER_INPUT', `X-Purpose ${purpose} needs an X-Case-Reference (for example the dossier code)`);
      }
      principal = { ...principal, purpose };
    }
    if (typeof caseReference === 'string') {
      if (!/^[\p{L}\p{N} ._/:-]{1,64}$/u.test(caseReference)) {
        return refuse(res, 400, 'BAD_USER_INPUT', 'X-Case-Reference must be 1 to 64 letters, digits or . _ / : -');
      }
      principal = { ...principal, caseReference };
    }
    res.locals.principal = principal;
    next();
  };
}
