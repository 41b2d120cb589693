/**
 * Load test (not a unit test): holds N concurrent connections for a while on a mix of real
 * client operations and reports throughput, latency, errors and the gateway's memory.
 *
 *   npm run load                                  # 50 connections, 60 s, gateway started here
 *   npm run load -- --connections 20 --duration 30
 *   npm run load -- --database-server postgres://postgres@127.0.0.1:5432/postgres --scale small
 *   npm run load -- --url http://127.0.0.1:4000/graphql [--pid 1234]
 *
 * Without --url it starts the gateway as a child process (`node --import tsx src/cli/start.ts`,
 * so that its memory can be read with `ps -o rss= -p <pid>`), on the sources the environment
 * points at (DATABASE_URL, <SOURCE>_DATABASE_URL, DATA_DIR, as for `npm start`), or, with
 * --database-server, on one database per source created on that server (gateway_load_<source>)
 * and seeded at --scale by the gateway on its first start. The child runs in development mode
 * (development tokens) with the rate limit raised out of the way (RATE_LIMIT_PER_MINUTE at its
 * maximum: the limiter still runs, it just does not refuse).
 *
 * The mix, in turn on every connection, by persisted-document hash as the city's apps send them:
 *   - public catalogue search (DatasetSearch, anonymous, a few search terms),
 *   - officer worklist (OfficerWorklist, officer tokens of several agencies),
 *   - citizen portal (CitizenPortal, citizen tokens of several residents: personal data, logged).
 *
 * Prints total requests, errors (non-2xx, GraphQL errors, connection errors and timeouts),
 * requests per second, p50/p99 latency, and the gateway's RSS at start, middle and end. Exits
 * non-zero on any error.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { SOURCE_NAMES } from '../src/modules/index.js';
import { sourceUrlVariable } from '../src/platform/db/source-names.js';

const USAGE = `Usage: npm run load -- [--connections 50] [--duration 60] [--url <graphql url> [--pid <gateway pid>]]
                     [--database-server <postgres admin url>] [--scale small] [--warmup 5] [--sample 5]

  --connections      concurrent connections held open (default 50)
  --duration         seconds of load (default 60)
  --url              an already running gateway (development mode); no child is started
  --pid              with --url: the gateway's process id, to sample its memory
  --database-server  a PostgreSQL server URL allowed to create databases: one database per
                     source (gateway_load_<source>) is created there if missing
  --scale            seed scale for empty databases (default small)
  --warmup           seconds of lighter load before measuring (default 5; 0 for none)
  --sample           seconds between memory samples (default 5)`;

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    url: { type: 'string' },
    pid: { type: 'string' },
    'database-server': { type: 'string' },
    scale: { type: 'string', default: 'small' },
    warmup: { type: 'string', default: '5' },
    sample: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string, allowZero = false): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    console.error(`--${name} must be a whole number${allowZero ? '' : ' above 0'}, got "${raw}"\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const connections = positive('connections', flags.connections);
const duration = positive('duration', flags.duration);
const warmup = positive('warmup', flags.warmup, true);
const sampleEvery = positive('sample', flags.sample);

const MANIFEST = JSON.parse(readFileSync(new URL('../src/generated/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;
function hashOf(operation: string): string {
  const hash = Object.keys(MANIFEST).find((h) => MANIFEST[h]!.startsWith(`query ${operation}(`) || MANIFEST[h]!.startsWith(`query ${operation} `));
  if (!hash) throw new Error(`${operation} is not in the trusted-documents manifest`);
  return hash;
}
const persisted = (operation: string, variables: Record<string, unknown>) =>
  JSON.stringify({ operationName: operation, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(operation) } } });

// ─── the gateway ────────────────────────────────────────────────────────────────────────────

interface Target {
  url: string;
  pid?: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One database per source on the server, created when missing; the gateway seeds empty ones. */
async function dedicatedDatabases(adminUrl: string): Promise<Record<string, string>> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const env: Record<string, string> = {};
  try {
    for (const source of SOURCE_NAMES) {
      const name = `gateway_load_${source}`;
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount) await admin.query(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      env[sourceUrlVariable(source)] = url.toString();
    }
  } finally {
    await admin.end();
  }
  return env;
}

async function startChild(): Promise<Target> {
  const port = await freePort();
  const sourceEnv = flags['database-server'] ? await dedicatedDatabases(flags['database-server']) : {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !/^(PORT|NODE_ENV|VITEST.*)$/.test(key)) env[key] = value;
  Object.assign(env, sourceEnv, {
    PORT: String(port),
    NODE_ENV: 'development',
    SEED_SCALE: flags.scale,
    RATE_LIMIT_PER_MINUTE: '10000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  process.stdout.write(`Starting the gateway (pid ${child.pid}, scale ${flags.scale}; seeding empty databases can take a few minutes)`);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the gateway exited before it was ready:\n${stderr}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 15 * 60_000) throw new Error(`the gateway was not ready within 15 minutes:\n${stderr}`);
    process.stdout.write('.');
    await sleep(1_000);
  }
  console.log(` ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return {
    url: `${base}/graphql`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ─── memory ─────────────────────────────────────────────────────────────────────────────────

const run = promisify(execFile);

/** Resident set size in MB (`ps -o rss= -p <pid>` gives KiB). */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kib = Number(stdout.trim());
    return Number.isFinite(kib) && kib > 0 ? kib / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ─── the mix ────────────────────────────────────────────────────────────────────────────────

interface Identities {
  officers: string[];
  citizens: string[];
}

/** Tokens for officers of agencies with open dossiers, and for residents with dossiers. */
async function identities(url: string): Promise<Identities> {
  const auth = loadConfig({}).auth;
  const admin = await mintDevToken(auth, { role: 'admin', clientApp: 'load-test' });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'x-purpose': 'CITIZEN_REQUEST' },
    body: JSON.stringify({
      query: `query LoadSetup { dossiers(first: 100, orderBy: SUBMITTED_AT) { edges { node { agency { code } applicant { __typename ... on Citizen { nationalId } } } } } }`,
    }),
  });
  const body = (await response.json()) as {
    data?: { dossiers: { edges: Array<{ node: { agency: { code: string } | null; applicant: { __typename: string; nationalId?: string } | null } }> } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`could not read dossiers to pick officers and citizens: ${JSON.stringify(body.errors)}`);
  const agencies = [...new Set(body.data.dossiers.edges.map((e) => e.node.agency?.code).filter((c): c is string => Boolean(c)))].slice(0, 10);
  const nationalIds = [...new Set(body.data.dossiers.edges.map((e) => e.node.applicant?.nationalId).filter((n): n is string => Boolean(n)))].slice(0, 25);
  if (!agencies.length || !nationalIds.length) throw new Error('no dossiers with agencies and resident applicants: seed the databases first');
  return {
    officers: await Promise.all(agencies.map((agency) => mintDevToken(auth, { role: 'officer', agency, clientApp: 'officer-worklist', expiresIn: '2h' }))),
    citizens: await Promise.all(nationalIds.map((citizenId) => mintDevToken(auth, { role: 'citizen', citizenId, clientApp: 'citizen-portal', expiresIn: '2h' }))),
  };
}

const SEARCHES = ['giao thong', 'dan so', 'du lich', 'y te', 'giao duc', 'moi truong', 'da nang', 'ngan sach', null];

interface Tally {
  graphqlErrors: number;
  byOperation: Record<string, { responses: number; graphqlErrors: number }>;
  samples: string[];
}

function mix(ids: Identities, tally: Tally): autocannon.Request[] {
  let turn = 0;
  const pick = <T>(list: T[]) => list[turn++ % list.length]!;
  const counted = (operation: string) => (status: number, body: string) => {
    const entry = (tally.byOperation[operation] ??= { responses: 0, graphqlErrors: 0 });
    entry.responses += 1;
    if (status >= 200 && status < 300 && body.includes('"errors"')) {
      entry.graphqlErrors += 1;
      tally.graphqlErrors += 1;
      if (tally.samples.length < 5) tally.samples.push(`${operation}: ${body.slice(0, 300)}`);
    } else if ((status < 200 || status >= 300) && tally.samples.length < 5) {
      tally.samples.push(`${operation}: HTTP ${status} ${body.slice(0, 300)}`);
    }
  };
  const json = { 'content-type': 'application/json' };
  return [
    {
      method: 'POST',
      setupRequest: (request) => ({ ...request, body: persisted('DatasetSearch', { search: pick(SEARCHES), first: 20 }) }),
      headers: json,
      onResponse: counted('DatasetSearch'),
    },
    {
      method: 'POST',
      setupRequest: (request) => ({ ...request, headers: { ...json, authorization: `Bearer ${pick(ids.officers)}` }, body: persisted('OfficerWorklist', { first: 25 }) }),
      onResponse: counted('OfficerWorklist'),
    },
    {
      method: 'POST',
      setupRequest: (request) => ({ ...request, headers: { ...json, authorization: `Bearer ${pick(ids.citizens)}` }, body: persisted('CitizenPortal', {}) }),
      onResponse: counted('CitizenPortal'),
    },
  ];
}

function cannon(url: string, seconds: number, conns: number, requests: autocannon.Request[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections: conns, duration: seconds, requests, timeout: 30 }, (error, result) => (error ? reject(error) : resolve(result)));
    process.once('SIGINT', () => instance.stop());
  });
}

// ─── run ────────────────────────────────────────────────────────────────────────────────────

const target: Target = flags.url ? { url: flags.url, pid: flags.pid ? Number(flags.pid) : undefined, stop: async () => undefined } : await startChild();
let exitCode = 0;
try {
  const ids = await identities(target.url);
  const idle = target.pid ? await rssMb(target.pid) : undefined;
  if (warmup > 0) {
    console.log(`Warm-up: ${warmup} s at ${Math.min(10, connections)} connections`);
    await cannon(target.url, warmup, Math.min(10, connections), mix(ids, { graphqlErrors: 0, byOperation: {}, samples: [] }));
  }

  const tally: Tally = { graphqlErrors: 0, byOperation: {}, samples: [] };
  const samples: Array<{ at: number; mb: number }> = [];
  const started = Date.now();
  const sample = async () => {
    if (!target.pid) return;
    const mb = await rssMb(target.pid);
    if (mb !== undefined) samples.push({ at: (Date.now() - started) / 1000, mb });
  };
  await sample();
  const sampler = setInterval(() => void sample(), sampleEvery * 1000);
  console.log(`Load: ${connections} connections for ${duration} s on ${target.url} (DatasetSearch, OfficerWorklist, CitizenPortal in turn)`);
  const result = await cannon(target.url, duration, connections, mix(ids, tally));
  clearInterval(sampler);
  await sample();

  const total = result.requests.total;
  const connectionErrors = result.errors;
  const errors = result.non2xx + tally.graphqlErrors + connectionErrors;
  const at = (fraction: number) => samples.reduce((best, s) => (Math.abs(s.at - duration * fraction) < Math.abs(best.at - duration * fraction) ? s : best), samples[0]!);
  const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MB`);

  console.log('');
  console.log(`Requests        ${total} in ${result.duration.toFixed(1)} s (${connections} connections)`);
  console.log(`Throughput      ${(total / result.duration).toFixed(0)} req/s (per-second mean ${result.requests.mean.toFixed(0)}, min ${result.requests.min}, max ${result.requests.max})`);
  console.log(`Latency         p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (mean ${result.latency.mean.toFixed(1)} ms, max ${result.latency.max} ms)`);
  console.log(`Errors          ${errors} (non-2xx ${result.non2xx}, GraphQL errors ${tally.graphqlErrors}, connection errors ${connectionErrors}, timeouts ${result.timeouts})`);
  for (const [operation, entry] of Object.entries(tally.byOperation)) console.log(`  ${operation.padEnd(16)}${entry.responses} responses, ${entry.graphqlErrors} with errors`);
  if (samples.length) {
    console.log(`Gateway RSS     idle ${mb(idle)}; start ${mb(samples[0]!.mb)}, middle ${mb(at(0.5).mb)}, end ${mb(samples.at(-1)!.mb)} (max ${mb(Math.max(...samples.map((s) => s.mb)))}, ${samples.length} samples)`);
  } else {
    console.log('Gateway RSS     not sampled (pass --pid with --url)');
  }
  for (const line of tally.samples) console.log(`  e.g. ${line}`);
  if (errors > 0) exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await target.stop();
}
process.exit(exitCode);
