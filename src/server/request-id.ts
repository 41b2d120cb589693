import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** The caller's X-Request-Id when it is a plain token (it goes into logs), else a fresh one. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(header) ? header : randomUUID();
}

/**
 * Gives the request its id first of all, so that every answer (an INTERNAL_SERVER_ERROR too,
 * from any stage) names it: in `res.locals.requestId` and the X-Request-Id response header.
 * GraphQL code reads it from the request's context (`requestId`), errors outside GraphQL from
 * `res.locals`. No AsyncLocalStorage: its promise hooks would cost every await of every request.
 */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdOf(req.headers['x-request-id']);
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  next();
}

/** The id `assignRequestId` gave this request (a fresh one where it did not run). */
export function requestIdOfResponse(res: Response): string {
  const id = res.locals.requestId as string | undefined;
  return id ?? randomUUID();
}
