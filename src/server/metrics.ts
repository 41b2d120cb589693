import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Connections } from '../platform/db/connection.js';

/** Prometheus metrics of one gateway process, served at /metrics. */
export function createMetrics(connections: Connections) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });

  const requests = new Counter({ name: 'gateway_requests_total', help: 'GraphQL requests by operation and outcome', labelNames: ['operation', 'outcome'], registers: [registry] });
  const latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'GraphQL request latency by operation',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({ name: 'gateway_errors_total', help: 'Errors returned to clients, by code', labelNames: ['code'], registers: [registry] });
  const statements = new Counter({
    name: 'gateway_sql_statements_total',
    help: 'SQL statements by source and server (primary, or the read replica)',
    labelNames: ['source', 'target'],
    registers: [registry],
  });
  const statementTime = new Histogram({
    name: 'gateway_sql_duration_seconds',
    help: 'SQL statement time by source',
    labelNames: ['source'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per DataLoader batch',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const accessLogWrites = new Counter({ name: 'gateway_access_log_writes_total', help: 'Access-log writes by result', labelNames: ['result'], registers: [registry] });
  const accessLogEntries = new Counter({ name: 'gateway_access_log_entries_total', help: 'Access-log entries written', registers: [registry] });
  new Gauge({
    name: 'gateway_db_pool_connections',
    help: 'Connections of each source pool, by state',
    labelNames: ['source', 'state'],
    registers: [registry],
    collect() {
      for (const [source, pool] of Object.entries(connections.pools)) {
        if (!pool) continue;
        this.set({ source, state: 'total' }, pool.totalCount);
        this.set({ source, state: 'idle' }, pool.idleCount);
        this.set({ source, state: 'waiting' }, pool.waitingCount);
      }
    },
  });

  new Gauge({
    name: 'gateway_db_replica_pool_connections',
    help: 'Connections of each source read-replica pool, by state',
    labelNames: ['source', 'state'],
    registers: [registry],
    collect() {
      for (const [source, replica] of Object.entries(connections.replicas ?? {})) {
        if (!replica) continue;
        this.set({ source, state: 'total' }, replica.pool.totalCount);
        this.set({ source, state: 'idle' }, replica.pool.idleCount);
        this.set({ source, state: 'waiting' }, replica.pool.waitingCount);
      }
    },
  });

  const unsubscribe = [
    connections.events.onStatement((source, seconds, target) => {
      statements.inc({ source, target });
      statementTime.observe({ source }, seconds);
    }),
  ];

  return {
    registry,
    /** A loader batch of this gateway ran with `size` keys (given to the loaders as their `onBatch`). */
    loaderBatch(size: number) {
      batchSize.observe(size);
    },
    request(operation: string, seconds: number, errorCodes: string[]) {
      requests.inc({ operation, outcome: errorCodes.length ? 'error' : 'ok' });
      latency.observe({ operation }, seconds);
      for (const code of errorCodes) errors.inc({ code });
    },
    accessLogWritten(entries: number) {
      accessLogWrites.inc({ result: 'ok' });
      accessLogEntries.inc(entries);
    },
    accessLogFailed() {
      accessLogWrites.inc({ result: 'failed' });
    },
    stop() {
      for (const off of unsubscribe) off();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * /metrics: the process's metrics tell traffic, operations, error codes and pool sizes, so in
 * production they are served only to a scraper holding METRICS_TOKEN (`Authorization: Bearer
 * <token>`), and not at all without one configured (404, as for any unknown path). In
 * development they are open unless a token is set.
 */
export function metricsHandler(metrics: Pick<Metrics, 'registry'>, options: { production: boolean; token?: string }): RequestHandler {
  const expected = options.token ? digest(options.token) : undefined;
  return async (req: Request, res: Response, next) => {
    if (!expected) {
      if (options.production) return next();
    } else {
      const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
      // Equal-length digests compared in constant time: the comparison tells nothing of the token.
      if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        res.status(401).json({ errors: [{ message: 'The metrics need the METRICS_TOKEN bearer token', extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  };
}
