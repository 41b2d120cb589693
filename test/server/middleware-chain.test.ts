/**
 * The /graphql and /subgraph middlewares run as one router layer (src/server/middleware-chain.ts):
 * in order, and leaving the chain as Express's router would (errors, rejected promises,
 * 'route', 'router').
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { inSequence } from '../../src/server/middleware-chain.js';

const req = {} as Request;
const res = {} as Response;

function run(handlers: RequestHandler[]): Promise<unknown[]> {
  return new Promise((resolve) => {
    const next: NextFunction = (...args: unknown[]) => resolve(args);
    inSequence(handlers)(req, res, next);
  });
}

describe('inSequence', () => {
  it('runs the middlewares in order, then the next layer', async () => {
    const seen: number[] = [];
    const step = (n: number): RequestHandler => (_req, _res, next) => {
      seen.push(n);
      next();
    };
    expect(await run([step(1), step(2), step(3)])).toEqual([]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('an error, thrown, passed or rejected, skips the rest and goes to the error handlers', async () => {
    const never: RequestHandler = () => {
      throw new Error('not reached');
    };
    const passed = new Error('passed');
    expect(await run([(_q, _s, next) => next(passed), never])).toEqual([passed]);
    const thrown = new Error('thrown');
    expect(await run([() => {
      throw thrown;
    }, never])).toEqual([thrown]);
    const rejected = new Error('rejected');
    expect(await run([async () => {
      throw rejected;
    }, never])).toEqual([rejected]);
    // As the router does for a promise rejected with nothing.
    const [error] = await run([() => Promise.reject(undefined), never]);
    expect((error as Error).message).toBe('Rejected promise');
  });

  it("'route' goes on to the next middleware, 'router' leaves the router", async () => {
    const seen: string[] = [];
    expect(await run([(_q, _s, next) => next('route'), (_q, _s, next) => {
      seen.push('after route');
      next();
    }])).toEqual([]);
    expect(seen).toEqual(['after route']);
    expect(await run([(_q, _s, next) => next('router'), () => seen.push('not reached')])).toEqual(['router']);
    expect(seen).toEqual(['after route']);
  });
});

describe('mounted in Express', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('answers as the same middlewares mounted one by one: paths, errors, unmatched requests', async () => {
    const handlers: RequestHandler[] = [
      (rq, rs, next) => {
        rs.setHeader('x-first', rq.baseUrl + '|' + rq.url);
        next();
      },
      async (rq, _rs, next) => {
        if (rq.query.fail === 'yes') throw new Error('failed');
        next();
      },
      (rq, rs, next) => (rq.query.skip === 'yes' ? next() : rs.json({ ok: true })),
    ];
    const answers = async (app: express.Express) => {
      server = createServer(app);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const out = [];
      for (const path of ['/graphql', '/graphql/x?y=1', '/graphql?fail=yes', '/graphql?skip=yes', '/graphqlx']) {
        const response = await fetch(base + path);
        out.push([path, response.status, response.headers.get('x-first'), await response.text()]);
      }
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
      return out;
    };
    const errors = (error: Error, _rq: Request, rs: Response, _next: NextFunction) => {
      rs.status(500).send(`error: ${error.message}`);
    };
    const chained = express();
    chained.use('/graphql', inSequence(handlers));
    chained.use(errors);
    const separate = express();
    separate.use('/graphql', ...handlers);
    separate.use(errors);
    expect(await answers(chained)).toEqual(await answers(separate));
  });
});
