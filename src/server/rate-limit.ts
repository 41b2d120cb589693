import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { principalOf } from '../auth/authenticate.js';
import { refuse } from './http-errors.js';

export interface RateLimit {
  /** None when there is no limit (0): nothing to run per request. */
  middleware?: (req: Request, res: Response, next: NextFunction) => Promise<void>;
  close(): Promise<void>;
}

/**
 * Requests per minute per subject (anonymous callers per address). In memory by default; shared
 * through Redis when REDIS_URL is set, so that all replicas count together (ioredis is imported
 * only then: a gateway without Redis does not hold its client in memory).
 */
export async function rateLimit(perMinute: number, redisUrl?: string): Promise<RateLimit> {
  if (perMinute === 0) return { close: async () => undefined };
  const redis = redisUrl ? new (await import('ioredis')).Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
  const options = { points: perMinute, duration: 60, keyPrefix: 'gateway-rate' };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  return {
    async middleware(req, res, next) {
      const principal = principalOf(res);
      const key = principal.role === 'public' ? `ip:${req.ip}` : `sub:${principal.subject}`;
      try {
        await limiter.consume(key);
        next();
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        const seconds = Math.ceil(rejection.msBeforeNext / 1000);
        res.setHeader('Retry-After', String(seconds));
        refuse(res, 429, 'QUERY_TOO_COMPLEX', `Rate limit of ${perMinute} requests per minute exceeded; retry in ${seconds} s`, { reason: 'RATE_LIMITED' });
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}
