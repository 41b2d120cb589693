import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ErrorCode } from '../graph/errors.js';

/** Answers an HTTP-level refusal in the GraphQL error shape, with a code like any other error. */
export function refuse(res: Response, status: number, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { ...extra, code } }] });
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
