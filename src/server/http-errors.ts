import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ErrorCode } from '../platform/errors.js';

/**
 * The media types Apollo Server offers for a single result, in its order and with its parameters
 * (`MEDIA_TYPES` of @apollo/server, not exported): negotiated the same way (the same negotiator,
 * through Express's `req.accepts`), the gateway's own error answers get the media type Apollo
 * would give the same request. No Accept header, or `*` / `application/*`, gives the first,
 * `application/json`; `application/graphql-response+json` is chosen when the client ranks it
 * higher (by q, then by its place in the header).
 */
const ERROR_MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
] as const;

/**
 * The media type of an error the gateway answers itself. When the client accepts neither JSON
 * type the answer is `application/json` all the same, with its own status: Apollo does the same
 * for the errors it answers itself (its 406 is for a result it could otherwise have sent), and a
 * 401 or 429 must not turn into a 406 that hides why the request was refused (RFC 9110 allows
 * disregarding Accept).
 */
export function errorMediaType(req: Request): string {
  return req.accepts([...ERROR_MEDIA_TYPES]) || ERROR_MEDIA_TYPES[0];
}

/**
 * Answers an HTTP-level refusal in the GraphQL error shape, with a code like any other error, in
 * the media type the client asked for. Every error the gateway answers itself, before or around
 * Apollo (tokens, rate limit, body parsing, document size, unexpected errors), goes through here.
 */
export function refuse(res: Response, status: number, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): void {
  // The body's media type depends on Accept: caches must key on it.
  res.vary('Accept');
  res.status(status).type(errorMediaType(res.req)).json({ errors: [{ message, extensions: { ...extra, code } }] });
}

/**
 * Errors raised before GraphQL runs (malformed JSON, body too large): a clear client error, and
 * never a stack trace or an HTML page.
 */
export function httpErrorHandler(onUnexpected: (error: unknown, requestId: string) => void) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const { type, status, limit } = error as { type?: string; status?: number; limit?: number };
    if (type === 'entity.too.large') return refuse(res, 413, 'BAD_USER_INPUT', `The request body exceeds ${limit} bytes (MAX_BODY_BYTES)`);
    if (type === 'entity.parse.failed') return refuse(res, 400, 'BAD_USER_INPUT', 'The request body is not valid JSON');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return refuse(res, 415, 'BAD_USER_INPUT', 'Unsupported body encoding; send UTF-8 JSON');
    if (status && status >= 400 && status < 500) return refuse(res, status, 'BAD_USER_INPUT', 'Bad request');
    // The id ties the client's report to the server's log line.
    const requestId = (res.locals.requestId as string | undefined) ?? randomUUID();
    onUnexpected(error, requestId);
    refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', { requestId });
  };
}
