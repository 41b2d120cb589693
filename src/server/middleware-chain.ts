import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Several middlewares as one, run in order as Express's router runs them: each calls `next()`
 * for the following one; `next(error)` (or a promise it returns that rejects) leaves the chain
 * to the router's error handlers; `next('route')` goes on; `next('router')` leaves the router.
 * One router layer instead of one per middleware: the router matches and trims the mount path
 * again for every layer of every request.
 */
export function inSequence(handlers: readonly RequestHandler[]): RequestHandler {
  if (handlers.length === 1) return handlers[0]!;
  return (req: Request, res: Response, next: NextFunction) => {
    let i = 0;
    // The router reports a rejected promise once, whoever rejects: kept the same here.
    const fail = (error: unknown) => next(error || new Error('Rejected promise'));
    const step = (signal?: unknown): void => {
      if (signal && signal !== 'route') return next(signal);
      const handler = handlers[i++];
      if (!handler) return next();
      try {
        const returned: unknown = handler(req, res, step);
        if (returned instanceof Promise) returned.then(undefined, fail);
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}
