/**
 * `npm run bench`: the gateway's benchmarks, in one command, against baselines measured in the
 * same run. See `--help`, and the Benchmarks section of the README.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import type { Connections } from '../src/platform/db/connection.js';
import { cursorBindingOf } from '../src/auth/authenticate.js';
import { CursorCodec } from '../src/platform/db/cursors.js';
import { GATEWAY_NODE_FLAGS } from '../src/cli/node-flags.js';
import { cpuMsOf, startChild, sampleRss, type ChildServer } from './lib/child.js';
import { DEFAULT_ADMIN_URL, DEFAULT_SEED, logIntegrated, prepareBenchDatabase, settleDatabase, type BenchTarget } from './lib/database.js';
import { canonical, fire, probe, type Request } from './lib/load.js';
import { comparableGatewayData } from './lib/peers.js';
import { ensurePostGraphileInstalled, POSTGRAPHILE_DIR, POSTGRAPHILE_SCHEMAS, tagBenchDatabase } from './lib/postgraphile.js';
import { renderMarkdown, VARIANT_LABELS, VARIANT_NAMES, type BenchResult, type GrowthCase, type Ratio, type ScenarioResult, type Target, type VariantName, type VariantRun } from './lib/results.js';
import { adminHeaders, buildScenarios, GROWTH_ADMIN, CITIZEN_PAGE_QUERY, loadFixtures, type DeepPage, type Fixtures, type Scenario } from './lib/scenarios.js';

const HELP = `npm run bench -- [options]

Starts the gateway against PostgreSQL (or embedded PGlite), seeds a fixed scale once, and runs
the named scenarios with autocannon against the gateway and its baselines in the same run:
batching off, authorization and access log off, the floor (the same SQL through pg, no
GraphQL) and, on PostgreSQL, PostGraphile v5 (installed on first use into bench/postgraphile/).
Then the cost of a page of 50 citizens, first and deep, at two scales, and the dashboard at city.
The servers run the compiled JavaScript (built first into dist/). Results go to bench/results/
(JSON and Markdown per run, latest.md) and the README's Benchmarks section.

  --scale <name>            tiny | small | medium | city (default medium)
  --seed <n>                seed value (default ${DEFAULT_SEED})
  --embedded                use embedded PGlite (data/bench/pglite-<scale>) instead of PostgreSQL
  --admin-url <url>         PostgreSQL URL allowed to create databases
                            (default BENCH_POSTGRES_URL or ${DEFAULT_ADMIN_URL});
                            the bench creates and reuses gateway_bench_<scale>
  --database <name>         the --scale's database under another name (the growth scales keep theirs)
  --reseed                  seed even when the marker says the scale is already there
  --duration <s>            seconds per measurement (default 10)
  --connections <n>         concurrent connections (default 20)
  --warmup <s>              seconds of load before each measurement (default 2)
  --rounds <n>              run the servers' sequence n times; report each figure's median run (default 1)
  --scenarios <a,b>         catalogue, worklist, dashboard, portal, nodes, datasets, citizens, node (default all)
  --variants <a,b>          gateway, naive, insecure, floor, postgraphile (default all; postgraphile only on PostgreSQL)
  --executor <name>         the gateway's GRAPHQL_EXECUTOR: graphql-js or jit (default: the
                            bench's own GRAPHQL_EXECUTOR, else the configuration's default)
  --gateway-flags <flags>   node options of the gateway's servers, space-separated, or none
                            (default: those it is deployed with, src/cli/node-flags.ts)
  --runtime <dist|tsx>      servers from compiled JavaScript, built first with bench/tsconfig.build.json
                            (default), or from TypeScript through tsx (default of --smoke)
  --growth-scales <a,b>     scales of the cost-growth cases (default small,city; embedded: --scale)
  --growth-depth <n>        rows before the deep page (default 100000, at most the list's length − 100)
  --growth-duration <s>     seconds per cost-growth case (default 5)
  --growth-connections <n>  connections per cost-growth case (default 2)
  --skip-growth             no cost-growth cases
  --cpu-prof                write a V8 CPU profile of each server to data/bench/profiles/<run>/
  --out <dir>               where results go (default bench/results; smoke: data/bench/smoke)
  --data-dir <dir>          embedded: folder of the PGlite folders (default data/bench)
  --skip-readme             do not update the README's Benchmarks section
  --smoke                   seconds-long check: embedded, tiny, 1 s × 2 connections, no warm-up,
                            every baseline; writes no latest.md and leaves the README alone
  --help
`;

const { values: flags } = parseArgs({
  options: {
    scale: { type: 'string' },
    seed: { type: 'string' },
    embedded: { type: 'boolean', default: false },
    'admin-url': { type: 'string' },
    database: { type: 'string' },
    reseed: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string' },
    warmup: { type: 'string' },
    scenarios: { type: 'string' },
    variants: { type: 'string' },
    'growth-scales': { type: 'string' },
    'growth-depth': { type: 'string' },
    'growth-duration': { type: 'string' },
    'growth-connections': { type: 'string' },
    'skip-growth': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
    'skip-readme': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    runtime: { type: 'string' },
    executor: { type: 'string' },
    'gateway-flags': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (raw === undefined) return [...fallback];
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}"; use ${allowed.join(', ')}`);
  return items as T[];
}

const SCENARIO_NAMES = ['catalogue', 'worklist', 'dashboard', 'portal', 'nodes', 'datasets', 'citizens', 'node'] as const;
const SCALE_NAMES = ['tiny', 'small', 'medium', 'city'] as const;
const smoke = flags.smoke;
const embedded = smoke || flags.embedded;
const options = {
  scale: flags.scale ?? (smoke ? 'tiny' : 'medium'),
  seed: positive('seed', flags.seed, DEFAULT_SEED),
  adminUrl: flags['admin-url'] ?? process.env.BENCH_POSTGRES_URL ?? DEFAULT_ADMIN_URL,
  duration: positive('duration', flags.duration, smoke ? 1 : 10),
  connections: Math.round(positive('connections', flags.connections, smoke ? 2 : 20)),
  warmup: flags.warmup === '0' ? 0 : positive('warmup', flags.warmup, smoke ? 0.001 : 2),
  rounds: Math.round(positive('rounds', flags.rounds, 1)),
  growthDepth: Math.round(positive('growth-depth', flags['growth-depth'], 100_000)),
  growthDuration: positive('growth-duration', flags['growth-duration'], smoke ? 1 : 5),
  growthConnections: Math.round(positive('growth-connections', flags['growth-connections'], 2)),
  out: path.resolve(flags.out ?? (smoke ? path.join('data', 'bench', 'smoke') : path.join('bench', 'results'))),
  dataDir: flags['data-dir'] ? path.resolve(flags['data-dir']) : undefined,
};
if (!(SCALE_NAMES as readonly string[]).includes(options.scale)) throw new Error(`--scale must be one of ${SCALE_NAMES.join(', ')}`);
const scenarioNames = list('scenarios', flags.scenarios, SCENARIO_NAMES, SCENARIO_NAMES);
// PostGraphile needs PostgreSQL: on embedded PGlite it is left out (said in the log).
const variantNames = list('variants', flags.variants, VARIANT_NAMES, VARIANT_NAMES).filter((v) => !(embedded && v === 'postgraphile'));
const runtime = flags.runtime ?? (smoke ? 'tsx' : 'dist');
if (runtime !== 'dist' && runtime !== 'tsx') throw new Error('--runtime must be dist or tsx');
// The gateway children's executor, said in the results: an A/B of graphql-js and jit runs the same scenarios.
const executor = loadConfig({ ...(process.env.GRAPHQL_EXECUTOR ? { GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR } : {}), ...(flags.executor ? { GRAPHQL_EXECUTOR: flags.executor } : {}) }).executor;
const growthScales = list('growth-scales', flags['growth-scales'], SCALE_NAMES, embedded ? [options.scale as (typeof SCALE_NAMES)[number]] : ['small', 'city']);

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
// Server logs (and differing answers): beside a smoke run's results, else under data/ (ignored by git).
const logDir = smoke ? path.join(options.out, 'logs', stamp) : path.resolve('data', 'bench', 'logs', stamp);
const profileDir = flags['cpu-prof'] ? path.resolve('data', 'bench', 'profiles', stamp) : undefined;
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** What every server child gets besides the sources: no rate limit (one subject fires thousands of requests). */
const SERVER_SETTINGS = { RATE_LIMIT_PER_MINUTE: '0' };

interface VariantSpec {
  name: VariantName;
  script: string;
  args: string[];
  execArgv?: string[];
  cwd?: string;
  processEnv?: Record<string, string>;
}

/** A bench server's entry point: its compiled JavaScript in dist/ (built by main), or the TypeScript through tsx. */
const entry = (name: string) => (runtime === 'dist' ? path.resolve('dist', 'bench', `${name}.js`) : `bench/${name}.ts`);

// The gateway's servers run with the V8 options it is deployed with (src/cli/node-flags.ts), or --gateway-flags.
const gatewayFlags = flags['gateway-flags'] === undefined ? GATEWAY_NODE_FLAGS : flags['gateway-flags'] === 'none' ? [] : flags['gateway-flags'].split(/\s+/).filter(Boolean);
const gatewayExecArgv = [...gatewayFlags, ...(runtime === 'tsx' ? ['--import', 'tsx'] : [])];
const VARIANTS: Record<VariantName, VariantSpec> = {
  gateway: { name: 'gateway', script: entry('server'), args: ['--batch', 'on', '--security', 'on'], execArgv: gatewayExecArgv },
  naive: { name: 'naive', script: entry('server'), args: ['--batch', 'off', '--security', 'on'], execArgv: gatewayExecArgv },
  insecure: { name: 'insecure', script: entry('server'), args: ['--batch', 'on', '--security', 'off'], execArgv: gatewayExecArgv },
  floor: { name: 'floor', script: entry('floor-server'), args: [] },
  // Its own folder and node_modules; Node 20 lacks Promise.withResolvers, which the polyfill adds. Production mode, as it is deployed.
  postgraphile: {
    name: 'postgraphile',
    script: path.join(POSTGRAPHILE_DIR, 'server.mjs'),
    args: [],
    execArgv: ['--import', './polyfill.mjs'],
    cwd: POSTGRAPHILE_DIR,
    processEnv: { NODE_ENV: 'production', GRAPHILE_ENV: 'production' },
  },
};

/** The servers a scenario runs on: its own list, else every one but PostGraphile (which needs a peer document). */
function variantsOf(scenario: Scenario): readonly VariantName[] {
  return scenario.variants ?? VARIANT_NAMES.filter((v) => v !== 'postgraphile' || scenario.peer);
}

function applies(scenario: Scenario, variant: VariantName): boolean {
  if (!variantsOf(scenario).includes(variant)) return false;
  if (variant === 'floor') return scenario.floorPath !== undefined;
  if (variant === 'postgraphile') return scenario.peer !== undefined;
  return true;
}

/** Answers of PostGraphile that were not the gateway's, or that failed: the run fails after writing its results. */
const peerFailures: string[] = [];

function target(scale: string): BenchTarget {
  return {
    backend: embedded ? 'embedded' : 'postgres',
    scale,
    seed: options.seed,
    adminUrl: options.adminUrl,
    dataDir: options.dataDir,
    database: scale === options.scale ? flags.database : undefined,
  };
}

function requestFor(scenario: Scenario, variant: VariantName, server: ChildServer, peerVariables?: Record<string, unknown>): Request | null {
  if (variant === 'postgraphile') {
    if (!scenario.peer) return null;
    return { url: server.url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: scenario.peer.query, variables: peerVariables ?? {} }) };
  }
  if (variant === 'floor') {
    if (!scenario.floorPath) return null;
    return { url: `${server.url}${scenario.floorPath}`, method: 'GET', headers: {} };
  }
  return {
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: JSON.stringify({ query: scenario.query, variables: scenario.variables }),
  };
}

/** The servers with the guard and the access log on. */
const LOGGING_VARIANTS: ReadonlySet<VariantName> = new Set(['gateway', 'naive']);

async function measureVariant(variant: VariantName, scenarios: Scenario[], env: Record<string, string>, gatewayData: Map<string, string>): Promise<Map<string, VariantRun>> {
  const spec = VARIANTS[variant];
  const runs = new Map<string, VariantRun>();
  const applicable = scenarios.filter((s) => applies(s, variant));
  if (applicable.length === 0) return runs;
  log(`starting ${VARIANT_LABELS[variant]} (${path.relative(process.cwd(), spec.script)} ${spec.args.join(' ')})`);
  const server = await startChild(spec.script, spec.args, {
    sourceEnv: { ...env, ...SERVER_SETTINGS, ...(variant === 'postgraphile' ? { POSTGRAPHILE_SCHEMAS: POSTGRAPHILE_SCHEMAS.join(',') } : {}) },
    logFile: path.join(logDir, `${variant}.log`),
    cpuProfileDir: profileDir && path.join(profileDir, variant),
    execArgv: spec.execArgv,
    cwd: spec.cwd,
    processEnv: { ...spec.processEnv, GRAPHQL_EXECUTOR: executor },
  });
  try {
    for (const scenario of applicable) {
      const peerVariables = variant === 'postgraphile' ? await scenario.peer!.variables((query, variables) => peerCall(server.url, query, variables)) : undefined;
      const request = requestFor(scenario, variant, server, peerVariables)!;
      let first = await probe(request);
      if (variant === 'postgraphile' || variant === 'floor') {
        // Counted by the server on a second request (the first may plan): the statements its process sent meanwhile.
        const before = await peerStatements(server.url);
        first = { ...(await probe(request)), sqlStatements: null };
        first.sqlStatements = (await peerStatements(server.url)) - before;
      } else {
        // The gateway's too, as a request after the first: the first of a process fills its caches
        // (reference rows, the officer's agency by code), which later requests do not read again.
        first = { ...first, sqlStatements: (await probe(request)).sqlStatements };
      }
      if (first.status !== 200 || first.graphqlErrors.length > 0) {
        log(`  ${scenario.name}: HTTP ${first.status}, errors ${JSON.stringify(first.graphqlErrors).slice(0, 400)}`);
        if (variant === 'postgraphile') peerFailures.push(`${scenario.name}: HTTP ${first.status}, ${JSON.stringify(first.graphqlErrors).slice(0, 400)}`);
      }
      // PostGraphile answers in its own shape: both are brought to one (row ids, ISO instants, no cursors) to compare.
      const data = variant === 'postgraphile' ? canonical(comparableGatewayData(scenario.peer!.toGatewayShape((first.data ?? {}) as Record<string, unknown>))) : canonical(first.data);
      if (variant === 'gateway') gatewayData.set(scenario.name, data);
      const gatewayAnswer = gatewayData.get(scenario.name);
      const reference = variant === 'postgraphile' && gatewayAnswer !== undefined ? canonical(comparableGatewayData(JSON.parse(gatewayAnswer))) : gatewayAnswer;
      if (variant === 'postgraphile' && reference !== undefined && reference !== data) peerFailures.push(`${scenario.name}: PostGraphile's answer differs from the gateway's`);
      if (variant === 'postgraphile' && reference === undefined) log(`  ${scenario.name}: no gateway answer to compare PostGraphile's with (gateway not run)`);
      if (variant !== 'gateway' && reference !== undefined && reference !== data) {
        // Both answers side by side, to see where they part.
        writeFileSync(path.join(logDir, `${scenario.name}-gateway.json`), `${JSON.stringify(JSON.parse(reference), null, 1)}\n`);
        writeFileSync(path.join(logDir, `${scenario.name}-${variant}.json`), `${JSON.stringify(JSON.parse(data), null, 1)}\n`);
        log(`  ${scenario.name}: the ${VARIANT_LABELS[variant]} answer differs from the gateway's (both in ${path.relative(process.cwd(), logDir)})`);
      }
      // Each measurement starts on a settled database (what the ones before left undone is theirs).
      await settleDatabase(env);
      if (options.warmup > 0) await fire(request, options.warmup, options.connections);
      if (LOGGING_VARIANTS.has(variant)) await logIntegrated(env);
      const sampler = sampleRss(server.pid);
      const cpuBefore = cpuMsOf(server.pid);
      const load = await fire(request, options.duration, options.connections);
      // The servers that write the access log: their integrator's work for the load's entries counts too.
      const integrated = LOGGING_VARIANTS.has(variant) ? await logIntegrated(env) : true;
      if (!integrated) log(`  ${scenario.name}: the access log had not integrated the load's entries within 30 s`);
      const cpuAfter = cpuMsOf(server.pid);
      const peak = sampler.stop();
      const cpuPerRequest = cpuBefore !== null && cpuAfter !== null && load.requests > 0 ? (cpuAfter - cpuBefore) / load.requests : null;
      runs.set(scenario.name, {
        variant,
        ...load,
        sqlStatements: first.sqlStatements,
        bytesPerResponse: first.bytes,
        peakRssMiB: peak === null ? null : peak / 1024 / 1024,
        serverCpuMsPerRequest: cpuPerRequest,
        probe: { status: first.status, graphqlErrors: first.graphqlErrors },
        sameDataAsGateway: variant === 'gateway' || reference === undefined ? null : reference === data,
      });
      log(
        `  ${scenario.name.padEnd(10)} ${VARIANT_LABELS[variant].padEnd(24)} ${load.requestsPerSecond.toFixed(1).padStart(8)} req/s  ` +
          `p50 ${load.latencyP50Ms} ms  p99 ${load.latencyP99Ms} ms  ${first.sqlStatements ?? '-'} SQL  ${first.bytes} B  ` +
          `${peak === null ? '?' : (peak / 1024 / 1024).toFixed(0)} MiB  ${cpuPerRequest === null ? '?' : cpuPerRequest.toFixed(1)} CPU ms/req${load.non2xx + load.errors + load.timeouts ? `  (${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts)` : ''}`,
      );
    }
  } finally {
    await server.stop();
  }
  return runs;
}

/** One request to PostGraphile outside the measurement (its cursors and node ids). */
async function peerCall(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`PostGraphile: ${JSON.stringify(body.errors ?? body).slice(0, 400)}`);
  return body.data;
}

/** Statements PostGraphile's or the floor's process has sent so far (their GET /bench/statements). */
async function peerStatements(url: string): Promise<number> {
  const response = await fetch(new URL('/bench/statements', url));
  return ((await response.json()) as { statements: number }).statements;
}

const ratioOf = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null);

function computeRatios(scenarios: ScenarioResult[]): Ratio[] {
  return scenarios.map(({ name, variants }) => {
    const gateway = variants.gateway?.requestsPerSecond;
    const insecure = ratioOf(gateway, variants.insecure?.requestsPerSecond);
    const cpu = (variant: VariantName) => variants[variant]?.serverCpuMsPerRequest ?? undefined;
    const insecureCpu = ratioOf(cpu('insecure'), cpu('gateway'));
    return {
      scenario: name,
      batchingSpeedup: ratioOf(gateway, variants.naive?.requestsPerSecond),
      securityCost: insecure === null ? null : 1 - insecure,
      floorRatio: ratioOf(gateway, variants.floor?.requestsPerSecond),
      peerRatio: ratioOf(gateway, variants.postgraphile?.requestsPerSecond),
      cpu: {
        batchingSpeedup: ratioOf(cpu('naive'), cpu('gateway')),
        securityCost: insecureCpu === null ? null : 1 - insecureCpu,
        floorRatio: ratioOf(cpu('floor'), cpu('gateway')),
        peerRatio: ratioOf(cpu('postgraphile'), cpu('gateway')),
      },
      securityCpuFactor: ratioOf(cpu('gateway'), cpu('insecure')),
    };
  });
}

function computeTargets(ratios: Ratio[], growth: BenchResult['growth'], scenarios: ScenarioResult[]): Target[] {
  const of = (scenario: string) => ratios.find((r) => r.scenario === scenario);
  const fmt = (x: number | null, unit: string) => (x === null ? 'not measured' : `${x.toFixed(x < 10 ? 2 : 1)}${unit}`);
  const targets: Target[] = [];
  const percent = (x: number | null) => (x === null ? 'not measured' : `${(x * 100).toFixed(1)} %`);
  const batching = of('worklist')?.batchingSpeedup ?? null;
  targets.push({
    name: 'batching',
    description: 'batching ≥ 10× the naive throughput (scenario 2, worklist)',
    measured: `${fmt(batching, '×')} (CPU per request: ${fmt(of('worklist')?.cpu.batchingSpeedup ?? null, '×')})`,
    met: batching === null ? null : batching >= 10,
  });
  const security = of('portal')?.securityCost ?? null;
  targets.push({
    name: 'security',
    description: 'authorization + access log cost ≤ 15 % of throughput (scenario 4, citizen portal)',
    measured: `${percent(security)} (CPU per request: ${percent(of('portal')?.cpu.securityCost ?? null)})`,
    met: security === null ? null : security <= 0.15,
  });
  for (const scenario of ['catalogue', 'worklist']) {
    const floor = of(scenario)?.floorRatio ?? null;
    targets.push({
      name: `floor-${scenario}`,
      description: `gateway ≥ 0.5× the floor (scenario ${scenario === 'catalogue' ? '1, catalogue' : '2, worklist'})`,
      measured: `${fmt(floor, '×')} (CPU per request: ${fmt(of(scenario)?.cpu.floorRatio ?? null, '×')})`,
      met: floor === null ? null : floor >= 0.5,
    });
  }
  const spread = growth?.spread ?? null;
  const pages = growth?.cases.every((c) => c.firstRowMatches && c.graphqlErrors.length === 0) ?? false;
  targets.push({
    name: 'growth',
    description: `a page of 50 citizens, first and deep, at ${growth ? [...new Set(growth.cases.map((c) => `\`${c.scale}\``))].join(' and ') : 'two scales'}: p50 within 1.5× of each other`,
    measured: spread === null ? 'not measured' : `${spread.toFixed(2)}× (slowest p50 ÷ fastest)${pages ? '' : ', a page was wrong'}`,
    met: spread === null ? null : spread <= 1.5 && pages,
  });

  // Issue 14: within reach of PostGraphile on the same data.
  const run = (scenario: string, variant: VariantName) => scenarios.find((s) => s.name === scenario)?.variants[variant];
  const worklistCpu = run('worklist', 'gateway')?.serverCpuMsPerRequest ?? null;
  targets.push({
    name: 'worklist-cpu',
    description: 'worklist: gateway CPU per request ≤ 5 ms, guard and log on (scenario 2)',
    measured: worklistCpu === null ? 'not measured' : `${worklistCpu.toFixed(2)} ms`,
    met: worklistCpu === null ? null : worklistCpu <= 5,
  });
  const peerAnswers = (scenario: string) => run(scenario, 'postgraphile')?.sameDataAsGateway !== false;
  for (const [scenario, label, floor] of [
    ['worklist', 'worklist (scenario 2)', 0.5],
    ['datasets', 'catalogue page (scenario 6)', 0.6],
    ['node', 'node lookup (scenario 8)', 0.6],
  ] as const) {
    const ratio = of(scenario)?.peerRatio ?? null;
    targets.push({
      name: `peer-${scenario}`,
      description: `${label}: gateway ≥ ${floor}× PostGraphile in req/s`,
      measured: `${fmt(ratio, '×')} (CPU per request: ${fmt(of(scenario)?.cpu.peerRatio ?? null, '×')})${peerAnswers(scenario) ? '' : ', **answers differ**'}`,
      met: ratio === null ? null : ratio >= floor && peerAnswers(scenario),
    });
  }
  const guard = of('citizens')?.securityCpuFactor ?? null;
  targets.push({
    name: 'citizens-guard',
    description: 'deep citizens page (scenario 7): CPU per request with guard and log on ≤ 1.5× off',
    measured: fmt(guard, '×'),
    met: guard === null ? null : guard <= 1.5,
  });
  const batchingCpu = of('worklist')?.cpu.batchingSpeedup ?? null;
  targets.push({
    name: 'batching-cpu',
    description: 'batching ≥ 10× the naive resolver in CPU per request (scenario 2, worklist)',
    measured: fmt(batchingCpu, '×'),
    met: batchingCpu === null ? null : batchingCpu >= 10,
  });
  const dashboard = growth?.dashboard ?? null;
  targets.push({
    name: 'dashboard-city',
    description: 'dashboard (scenario 3) p50 ≤ 50 ms at `city`',
    measured: dashboard ? `${dashboard.latencyP50Ms} ms (${dashboard.connections} connections)` : 'not measured',
    met: dashboard ? dashboard.latencyP50Ms <= 50 && dashboard.non2xx === 0 && dashboard.graphqlErrors.length === 0 : null,
  });
  const rss = scenarios.map((s) => s.variants.gateway?.peakRssMiB).filter((x): x is number => typeof x === 'number');
  const peak = rss.length > 0 ? Math.max(...rss) : null;
  targets.push({
    name: 'peak-rss',
    description: 'peak RSS of the gateway under the bench ≤ 250 MiB',
    measured: peak === null ? 'not measured' : `${peak.toFixed(0)} MiB`,
    met: peak === null ? null : peak <= 250,
  });
  return targets;
}

/** The rows before a deep page and its cursor, built in SQL on the keyset (full_name_sort, id) of citizens by NAME. */
async function deepCursor(connections: Connections, cursors: CursorCodec, depth: number): Promise<DeepPage & { citizens: number; firstExpected: string }> {
  const population = connections.sources.population;
  const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from population.citizens`.execute(population.root);
  const citizens = Number(counted[0]!.n);
  const offset = Math.max(1, Math.min(depth, citizens - 100));
  // The cursor names the keyset the gateway's citizens list uses for NAME (src/modules/population/db/citizens.repository.ts);
  // the probe checks that the page it opens starts at the expected row.
  const { rows } = await sql<{ full_name: string; full_name_sort: string; id: number }>`
    select full_name, full_name_sort, id from population.citizens order by full_name_sort, id offset ${offset - 1} limit 2`.execute(population.root);
  const { rows: head } = await sql<{ full_name: string }>`select full_name from population.citizens order by full_name_sort, id limit 1`.execute(population.root);
  const [before, first] = rows;
  // Cursors are bound to their caller: sealed for the admin who pages.
  const after = cursors.boundTo(cursorBindingOf(GROWTH_ADMIN)).encode({ name: 'citizen:name.vi' }, [before!.full_name_sort, before!.id]);
  return { citizens, offset, after, expected: first!.full_name, firstExpected: head[0]!.full_name, before: { sortKey: before!.full_name_sort, id: before!.id } };
}

async function growthAt(scale: string, headers: Record<string, string>, cursors: CursorCodec, dashboard?: Scenario): Promise<{ cases: GrowthCase[]; dashboard: NonNullable<BenchResult['growth']>['dashboard'] }> {
  const db = await prepareBenchDatabase(target(scale), { reseed: flags.reseed && scale === options.scale, log: (m) => log(m) });
  let deep: Awaited<ReturnType<typeof deepCursor>>;
  try {
    deep = await deepCursor(db.connections, cursors, options.growthDepth);
  } finally {
    await db.connections.close();
  }
  log(`cost growth at ${scale} (${deep.citizens.toLocaleString('en-US')} citizens): starting the gateway`);
  const server = await startChild(VARIANTS.gateway.script, VARIANTS.gateway.args, {
    sourceEnv: { ...db.env, ...SERVER_SETTINGS },
    logFile: path.join(logDir, `growth-${scale}.log`),
    execArgv: VARIANTS.gateway.execArgv,
    processEnv: { GRAPHQL_EXECUTOR: executor },
  });
  const cases: GrowthCase[] = [];
  const pages = [
    ['first', 0, null, deep.firstExpected],
    ['deep', deep.offset, deep.after, deep.expected],
  ] as const;
  const requestOf = (after: string | null): Request => ({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: CITIZEN_PAGE_QUERY, variables: { after } }),
  });
  try {
    // Both pages warm before either is measured: the first measured must not pay for a cold server.
    if (options.warmup > 0) for (const [, , after] of pages) await fire(requestOf(after), options.warmup, options.growthConnections);
    for (const [page, offset, after, expected] of pages) {
      const request = requestOf(after);
      const first = await probe(request);
      const edges = (first.data as { citizens?: { edges?: Array<{ node: { fullName: string | null } }> } } | null)?.citizens?.edges ?? [];
      const load = await fire(request, options.growthDuration, options.growthConnections);
      cases.push({
        scale,
        citizens: deep.citizens,
        page,
        offset,
        requestsPerSecond: load.requestsPerSecond,
        latencyP50Ms: load.latencyP50Ms,
        latencyP99Ms: load.latencyP99Ms,
        non2xx: load.non2xx + load.errors + load.timeouts,
        sqlStatements: first.sqlStatements,
        bytesPerResponse: first.bytes,
        firstRowMatches: edges.length === 50 && edges[0]?.node.fullName === expected,
        graphqlErrors: first.graphqlErrors,
      });
      log(`  ${scale} ${page} page (${offset.toLocaleString('en-US')} rows before): p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms, ${load.requestsPerSecond.toFixed(1)} req/s, ${first.sqlStatements} SQL`);
    }
    // The dashboard target is set at city: measured here, where the city's gateway runs, with the scenarios' connections.
    if (dashboard) {
      const request = requestFor(dashboard, 'gateway', server)!;
      const first = await probe(request);
      if (options.warmup > 0) await fire(request, options.warmup, options.connections);
      const load = await fire(request, options.growthDuration, options.connections);
      log(`  ${scale} dashboard: p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms, ${load.requestsPerSecond.toFixed(1)} req/s`);
      return {
        cases,
        dashboard: {
          scale,
          requestsPerSecond: load.requestsPerSecond,
          latencyP50Ms: load.latencyP50Ms,
          latencyP99Ms: load.latencyP99Ms,
          connections: options.connections,
          non2xx: load.non2xx + load.errors + load.timeouts + (first.status === 200 ? 0 : 1),
          graphqlErrors: first.graphqlErrors,
        },
      };
    }
  } finally {
    await server.stop();
  }
  return { cases, dashboard: null };
}

function gitInfo(): BenchResult['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}

const README_START = '<!-- bench:latest:start -->';
const README_END = '<!-- bench:latest:end -->';

/** Replaces the README's latest-results block (between the markers) with this run's tables. */
function updateReadme(markdown: string): boolean {
  const file = path.resolve('README.md');
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end < start) return false;
  writeFileSync(file, `${readme.slice(0, start + README_START.length)}\n${markdown}\n${readme.slice(end)}`);
  return true;
}

async function main(): Promise<void> {
  if (flags.help) {
    console.log(HELP);
    return;
  }
  const startedAt = new Date();
  const loadAverageStart = os.loadavg();
  const autocannonVersion = (JSON.parse(readFileSync(path.resolve('node_modules', 'autocannon', 'package.json'), 'utf8')) as { version: string }).version;

  // 0. The servers as compiled JavaScript, built from the tree as it is now.
  let buildNote = '';
  if (runtime === 'dist') {
    log('building the servers (tsc -p bench/tsconfig.build.json)...');
    const started = Date.now();
    try {
      execFileSync(process.execPath, [path.resolve('node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join('bench', 'tsconfig.build.json')], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      const output = ((error as { stdout?: string }).stdout ?? '').trim();
      // tsc still emits on type errors: measure what it emitted, and say so; without output, stop.
      const emitted = VARIANTS.gateway.script;
      if (!existsSync(emitted) || statSync(emitted).mtimeMs < started - 1000) {
        throw new Error(`the build failed (use --runtime tsx to measure the TypeScript as it is):\n${output.slice(0, 4000)}`, { cause: error });
      }
      const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
      buildNote = ` (built with ${errors.length} type error${errors.length === 1 ? '' : 's'})`;
      log(`the build reported type errors; measuring the JavaScript it emitted:\n  ${errors.slice(0, 10).join('\n  ')}`);
    }
  }
  if (variantNames.includes('postgraphile')) ensurePostGraphileInstalled(log);
  else if (embedded && !flags.variants) log('PostGraphile left out: it needs PostgreSQL (not embedded PGlite)');

  // 1. The data: a database per scale, seeded once (marker), and the scenarios' subjects.
  const primary = await prepareBenchDatabase(target(options.scale), { reseed: flags.reseed, log });
  const config = loadConfig(primary.env);
  // Deep-page cursors are built here, sealed with the key the servers use.
  const cursors = CursorCodec.fromSecret(config.cursorSecret);
  let fixtures: Fixtures;
  let deep: DeepPage;
  try {
    fixtures = await loadFixtures(primary.connections);
    deep = await deepCursor(primary.connections, cursors, options.growthDepth);
  } finally {
    // Embedded: the folder can be open in one process at a time, and each server opens it.
    await primary.connections.close();
  }
  if (variantNames.includes('postgraphile')) await tagBenchDatabase(primary.env.DATABASE_URL!);
  const scenarios = (await buildScenarios(config, fixtures, deep)).filter((s) => scenarioNames.includes(s.name as (typeof SCENARIO_NAMES)[number]));
  log(`scenarios ${scenarios.map((s) => s.name).join(', ')}; officer of ${fixtures.officerAgency}, citizen with ${fixtures.citizenDossiers} dossiers, ${fixtures.nodeIds.length} node ids`);

  // 2. The servers, one at a time (the gateway first: the others' answers are compared with its).
  const results: ScenarioResult[] = scenarios.map((s) => ({ name: s.name, title: s.title, variants: {} }));
  const gatewayData = new Map<string, string>();
  const order = [...variantNames].sort((a, b) => VARIANT_NAMES.indexOf(a) - VARIANT_NAMES.indexOf(b));
  // With --rounds N the whole sequence runs N times; each figure is the run with the median throughput.
  const rounds = new Map<string, VariantRun[]>();
  for (let round = 1; round <= options.rounds; round += 1) {
    if (options.rounds > 1) log(`round ${round} of ${options.rounds}`);
    for (const variant of order) {
      const runs = await measureVariant(variant, scenarios, primary.env, gatewayData);
      for (const [scenario, run] of runs) rounds.set(`${scenario}/${variant}`, [...(rounds.get(`${scenario}/${variant}`) ?? []), run]);
    }
  }
  for (const result of results) {
    for (const variant of order) {
      const runs = rounds.get(`${result.name}/${variant}`);
      if (!runs) continue;
      const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
      result.variants[variant] = { ...sorted[Math.floor((sorted.length - 1) / 2)]!, requestsPerSecondRounds: runs.map((r) => r.requestsPerSecond) };
    }
  }

  // 3. Cost growth: first and deep page at each scale.
  let growth: BenchResult['growth'] = null;
  if (!flags['skip-growth'] && growthScales.length > 0) {
    const headers = await adminHeaders(config);
    const cases: GrowthCase[] = [];
    let dashboard: NonNullable<BenchResult['growth']>['dashboard'] = null;
    const dashboardScenario = scenarios.find((s) => s.name === 'dashboard');
    for (const scale of growthScales) {
      const measured = await growthAt(scale, headers, cursors, scale === 'city' ? dashboardScenario : undefined);
      cases.push(...measured.cases);
      dashboard ??= measured.dashboard;
    }
    const p50s = cases.map((c) => c.latencyP50Ms).filter((x) => x > 0);
    growth = {
      durationSeconds: options.growthDuration,
      connections: options.growthConnections,
      cases,
      spread: p50s.length === cases.length && p50s.length > 0 ? Math.max(...p50s) / Math.min(...p50s) : null,
      dashboard,
    };
  }

  // 4. Results.
  const ratios = computeRatios(results);
  const result: BenchResult = {
    version: 1,
    kind: smoke ? 'smoke' : 'full',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    machine: {
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: os.totalmem() / 1024 ** 3,
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageStart,
      loadAverageEnd: os.loadavg(),
    },
    git: gitInfo(),
    database: { backend: embedded ? 'embedded' : 'postgres', describe: primary.describe, serverVersion: primary.serverVersion, scale: options.scale, seed: options.seed, seededSeconds: primary.seededSeconds },
    settings: {
      durationSeconds: options.duration,
      connections: options.connections,
      warmupSeconds: options.warmup < 0.01 ? 0 : options.warmup,
      rounds: options.rounds,
      autocannon: autocannonVersion,
      runtime: runtime === 'dist' ? `compiled JavaScript (dist/)${buildNote}` : 'TypeScript through tsx',
      executor,
      gatewayFlags: gatewayFlags.join(' '),
      postgraphile: variantNames.includes('postgraphile') ? postgraphileVersion() : null,
    },
    fixtures: {
      officerAgency: fixtures.officerAgency,
      caseReference: fixtures.caseReference,
      citizenNationalId: fixtures.citizenNationalId,
      citizenDossiers: fixtures.citizenDossiers,
      nodeIds: fixtures.nodeIds.length,
      catalogueSearch: fixtures.catalogueSearch,
    },
    scenarios: results,
    ratios,
    targets: computeTargets(ratios, growth, results),
    growth,
  };
  mkdirSync(options.out, { recursive: true });
  const base = path.join(options.out, `${stamp}-${embedded ? 'embedded' : 'postgres'}-${options.scale}`);
  const markdown = renderMarkdown(result);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${markdown}\n`);
  if (!smoke) {
    writeFileSync(path.join(options.out, 'latest.md'), `${markdown}\n`);
    if (!flags['skip-readme'] && updateReadme(renderMarkdown(result, '###'))) log('README.md: Benchmarks section updated');
  }
  console.log(`\n${markdown}`);
  log(`results: ${path.relative(process.cwd(), base)}.json and .md${profileDir ? `; CPU profiles in ${path.relative(process.cwd(), profileDir)}` : ''}`);
  if (peerFailures.length > 0) {
    console.error(`\nPostGraphile's answers are not the gateway's (server logs and both answers in ${path.relative(process.cwd(), logDir)}):\n  ${peerFailures.join('\n  ')}`);
    process.exit(1);
  }
}

function postgraphileVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(path.join(POSTGRAPHILE_DIR, 'node_modules', 'postgraphile', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
