import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { refuse } from '../http-errors.js';
import type { SubgraphSettings } from './settings.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * In front of /subgraph. A router's query plans are generated, so they can never be trusted
 * documents: the endpoint instead trusts the router, by a shared secret in `X-Router-Token` (the
 * caller's own `Authorization` travels beside it and decides what the data shows, as on
 * /graphql). Production without a token: not served (404, as an unknown path), so that the
 * manifest rule of /graphql cannot be bypassed here. Development: open unless a token is set.
 */
export function routerTokenGate(settings: SubgraphSettings, production: boolean): RequestHandler {
  const expected = settings.routerToken ? digest(settings.routerToken) : undefined;
  return (req, res, next) => {
    if (!expected) {
      if (production) return refuse(res, 404, 'NOT_FOUND', 'This gateway serves no subgraph endpoint (SUBGRAPH_ROUTER_TOKEN is not set)');
      return next();
    }
    const sent = req.headers['x-router-token'];
    // Equal-length digests compared in constant time: the comparison tells nothing of the token.
    if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), expected)) {
      return refuse(res, 401, 'UNAUTHENTICATED', 'The subgraph endpoint serves the federation router only: send its X-Router-Token');
    }
    next();
  };
}
