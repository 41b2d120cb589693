/**
 * What tracing costs: the officer's worklist against the gateway with tracing off
 * (OTEL_EXPORTER_OTLP_ENDPOINT unset: no SDK) and on (the endpoint set to a local sink that
 * accepts and discards the OTLP/HTTP exports), each in a process of its own, alternating, in the
 * same run. The figure is the gateway process's CPU time per request (/proc, user + system),
 * steadier than latency on a shared machine.
 *
 *   npx tsx bench/tracing.ts [--backend postgres|embedded] [--scale medium] [--duration 10] [--connections 8] [--rounds 2]
 *
 * Forks itself with --serve for the gateway (like bench/server.ts, plus the SDK when an endpoint is set).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/server/gateway.js';
import { cpuMsOf, startChild } from './lib/child.js';
import { DEFAULT_ADMIN_URL, DEFAULT_SEED, prepareBenchDatabase } from './lib/database.js';
import { fire, probe, type Request } from './lib/load.js';
import { buildScenarios, loadFixtures } from './lib/scenarios.js';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'postgres' },
    scale: { type: 'string', default: 'medium' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
  },
});

/** The child: a gateway over BENCH_SOURCE_ENV, with the SDK first when the endpoint is set (as src/cli/start.ts). */
async function serve(): Promise<void> {
  const config = loadConfig(JSON.parse(process.env.BENCH_SOURCE_ENV ?? '{}') as Record<string, string>);
  const telemetry = config.telemetry.endpoint ? (await import('../src/platform/telemetry/sdk.js')).startTelemetry(config.telemetry) : undefined;
  const gateway = await startGateway(config, { port: 0, host: '127.0.0.1' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.race([gateway.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    await telemetry?.shutdown().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send?.({ ready: gateway.url });
}

/** Accepts OTLP/HTTP exports and throws them away, counting the spans' requests. */
async function startSink(): Promise<{ url: string; exports: () => number; bytes: () => number; close(): Promise<void> }> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => exports,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Measurement {
  tracing: 'off' | 'on';
  requests: number;
  cpuMsPerRequest: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
}

async function main(): Promise<void> {
  const backend = values.backend === 'embedded' ? 'embedded' : 'postgres';
  const seconds = Number(values.duration);
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const warmup = Number(values.warmup);
  const log = (message: string) => console.error(message);
  const db = await prepareBenchDatabase({ backend, scale: values.scale!, seed: DEFAULT_SEED, adminUrl: process.env.BENCH_ADMIN_URL ?? DEFAULT_ADMIN_URL }, { log });
  let fixtures: Awaited<ReturnType<typeof loadFixtures>>;
  try {
    fixtures = await loadFixtures(db.connections);
  } finally {
    // An embedded folder is one process's: the gateway child opens it next.
    await db.connections.close();
  }
  const worklist = (await buildScenarios(db.config, fixtures)).find((s) => s.name === 'worklist')!;
  const sink = await startSink();
  const script = fileURLToPath(import.meta.url);
  const results: Measurement[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const tracing of ['off', 'on'] as const) {
        const sourceEnv = { ...db.env, ...(tracing === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {}) };
        const child = await startChild(script, ['--serve'], { sourceEnv, logFile: path.resolve('bench', 'results', 'logs', `tracing-${tracing}.log`) });
        try {
          const request: Request = {
            url: child.url,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...worklist.headers },
            body: JSON.stringify({ query: worklist.query, variables: worklist.variables }),
          };
          const first = await probe(request);
          if (first.status !== 200 || first.graphqlErrors.length) throw new Error(`the worklist failed: ${first.status} ${JSON.stringify(first.graphqlErrors)}`);
          if (warmup > 0) await fire(request, warmup, connections);
          const before = cpuMsOf(child.pid);
          const load = await fire(request, seconds, connections);
          const after = cpuMsOf(child.pid);
          if (before === null || after === null) throw new Error('no /proc: CPU time per request cannot be measured here');
          if (load.non2xx || load.errors || load.timeouts) throw new Error(`unhealthy run: ${JSON.stringify(load)}`);
          const m: Measurement = { tracing, requests: load.requests, cpuMsPerRequest: (after - before) / load.requests, requestsPerSecond: load.requestsPerSecond, latencyP50Ms: load.latencyP50Ms };
          results.push(m);
          log(`round ${round + 1} tracing ${tracing}: ${m.cpuMsPerRequest.toFixed(2)} CPU ms/request (${m.requests} requests, ${m.requestsPerSecond.toFixed(0)} req/s, p50 ${m.latencyP50Ms} ms)`);
        } finally {
          await child.stop();
        }
      }
    }
  } finally {
    await sink.close();
  }
  const mean = (tracing: 'off' | 'on') => {
    const runs = results.filter((r) => r.tracing === tracing);
    return runs.reduce((sum, r) => sum + r.cpuMsPerRequest, 0) / runs.length;
  };
  const off = mean('off');
  const on = mean('on');
  console.log(`worklist on ${db.describe}, ${rounds} rounds × ${seconds} s × ${connections} connections`);
  console.log(`tracing off: ${off.toFixed(2)} CPU ms/request`);
  console.log(`tracing on:  ${on.toFixed(2)} CPU ms/request (+${(on - off).toFixed(2)} ms, ${(((on - off) / off) * 100).toFixed(1)} %); the sink received ${sink.exports()} exports, ${(sink.bytes() / 1e6).toFixed(1)} MB`);
}

(values.serve ? serve() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
