/**
 * What tracing costs: the officer's worklist against three builds of the same gateway, each in a
 * process of its own, alternating within every round (the order rotates from round to round):
 *
 * - `no-hooks`: the code without the tracing calls. The child runs with
 *   `--import bench/lib/no-tracing/register.mjs`, a resolve hook that swaps the two tracing modules
 *   (src/platform/telemetry/spans.ts, src/server/plugins/tracing/index.ts) for pass-throughs with
 *   no OpenTelemetry import (bench/lib/no-tracing/*.ts) and refuses any `@opentelemetry/*`
 *   import, so no OpenTelemetry code is even loaded. A pass-through that only calls `work()` is
 *   what V8 inlines away: this is the gateway as if the hooks had never been written, without a
 *   second copy of any source file.
 * - `off`: the real modules, OTEL_EXPORTER_OTLP_ENDPOINT unset (no SDK): what production runs.
 * - `on`: the endpoint set to a local sink that accepts and discards the OTLP/HTTP exports.
 *
 * The figure is the gateway process's CPU time per request (/proc, user + system), steadier than
 * latency on a shared machine; the differences (off − no-hooks, on − off) are taken within each
 * round and given with their spread across rounds, which is the noise to judge them by.
 *
 *   npx tsx bench/tracing.ts [--backend postgres|embedded] [--scale medium] [--duration 10] [--connections 8] [--rounds 4]
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
    rounds: { type: 'string', default: '4' },
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

const VARIANTS = ['no-hooks', 'off', 'on'] as const;
type Variant = (typeof VARIANTS)[number];

/** The child's Node options per variant: the no-hooks build swaps the tracing modules at resolution (file header). */
const NO_HOOKS = fileURLToPath(new URL('./lib/no-tracing/register.mjs', import.meta.url));

interface Measurement {
  round: number;
  tracing: Variant;
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
      // Rotated, so that no variant always runs first (or right after the same neighbour) in a round.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const tracing of order) {
        const sourceEnv = { ...db.env, ...(tracing === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {}) };
        const execArgv = ['--import', 'tsx', ...(tracing === 'no-hooks' ? ['--import', NO_HOOKS] : [])];
        const child = await startChild(script, ['--serve'], { sourceEnv, execArgv, logFile: path.resolve('bench', 'results', 'logs', `tracing-${tracing}.log`) });
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
          const m: Measurement = { round, tracing, requests: load.requests, cpuMsPerRequest: (after - before) / load.requests, requestsPerSecond: load.requestsPerSecond, latencyP50Ms: load.latencyP50Ms };
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
  const mean = (tracing: Variant) => average(results.filter((r) => r.tracing === tracing).map((r) => r.cpuMsPerRequest));
  /** A difference taken within each round (same machine state), then its mean and spread over the rounds. */
  const difference = (a: Variant, b: Variant) => {
    const perRound: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const x = results.find((r) => r.round === round && r.tracing === a)!;
      const y = results.find((r) => r.round === round && r.tracing === b)!;
      perRound.push(x.cpuMsPerRequest - y.cpuMsPerRequest);
    }
    return { mean: average(perRound), sd: standardDeviation(perRound), min: Math.min(...perRound), max: Math.max(...perRound), perRound };
  };
  const noHooks = mean('no-hooks');
  const off = mean('off');
  const on = mean('on');
  const offCost = difference('off', 'no-hooks');
  const onCost = difference('on', 'off');
  const ms = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
  const describe = (d: typeof offCost, base: number) =>
    `${ms(d.mean)} ms (${ms((d.mean / base) * 100)} %), per round ${d.perRound.map(ms).join(' / ')}, sd ${d.sd.toFixed(2)} ms`;
  console.log(`worklist on ${db.describe}, ${rounds} rounds × ${seconds} s × ${connections} connections, variants rotated within each round`);
  console.log(`no hooks:    ${noHooks.toFixed(2)} CPU ms/request`);
  console.log(`tracing off: ${off.toFixed(2)} CPU ms/request`);
  console.log(`tracing on:  ${on.toFixed(2)} CPU ms/request; the sink received ${sink.exports()} exports, ${(sink.bytes() / 1e6).toFixed(1)} MB`);
  console.log(`off − no hooks: ${describe(offCost, noHooks)}`);
  console.log(`on − off:       ${describe(onCost, off)}`);
  // Within noise: the mean difference is no larger than the rounds' own scatter (its standard error, doubled).
  const noise = rounds > 1 ? (2 * offCost.sd) / Math.sqrt(rounds) : Number.POSITIVE_INFINITY;
  console.log(
    rounds > 1
      ? `off vs no hooks: ${Math.abs(offCost.mean) <= noise ? 'within noise' : 'outside noise'} (|mean| ${Math.abs(offCost.mean).toFixed(2)} ms vs 2 standard errors ${noise.toFixed(2)} ms)`
      : 'off vs no hooks: one round, no spread to judge the difference by (use --rounds 4)',
  );
}

function average(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function standardDeviation(values: number[]): number {
  if (values.length < 2) return 0;
  const m = average(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

(values.serve ? serve() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
