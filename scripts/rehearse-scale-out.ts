/**
 * Scale-out rehearsal (not a test): the layout of docs/scale-out.md, with real parts, on this
 * machine, then a bounded load through the balancer with one replica killed and one drained.
 *
 *   npm run rehearse:scale-out                        # tiny data, 20 s, 12 connections
 *   npm run rehearse:scale-out -- --scale small --duration 30 --connections 16
 *
 * Needs haproxy (`apt-get install haproxy`), PostgreSQL 15's server binaries (PG_BIN, default
 * /usr/lib/postgresql/15/bin) and a Redis at REHEARSAL_REDIS (default redis://127.0.0.1:6379),
 * of which it uses one empty numbered database and empties it again at the end.
 *
 * Layout: a PostgreSQL primary and a streaming replica (scripts/lib/pg-cluster.ts) in a temp
 * folder, one database per source, migrated and seeded with the project's CLIs; 3 gateways
 * (compiled JavaScript, NODE_ENV=production) with <SOURCE>_DATABASE_URL on the primary and
 * <SOURCE>_READ_DATABASE_URL on the replica, sharing the rate limit through Redis; HAProxy in
 * front (roundrobin, health checks on /readyz). The gateways run in production mode, as
 * deployed: tokens are RS256, signed here and verified through a JWKS this script serves on
 * loopback, and only trusted documents run (the load sends the apps' persisted documents).
 *
 * Prints what it measured and exits 1 when an invariant fails:
 *   - failures only among requests in flight on the killed replica (HAProxy's log names the
 *     server of every request id); none on the drained one, which exits 0;
 *   - the rate limit holds across replicas: a burst from one subject is let through exactly
 *     RATE_LIMIT_PER_MINUTE times in all, and refused (429) by more than one replica;
 *   - every response with personal data has its access-log entries, and entries exist only for
 *     those (and for requests lost with the killed replica, counted apart);
 *   - `audit:verify` says intact; the replica served reads.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pg from 'pg';
import { SOURCE_NAMES } from '../src/modules/index.js';
import { sourceUrlVariable } from '../src/platform/db/source-names.js';
import { freePort, startPrimary, startReplica, type PgCluster } from './lib/pg-cluster.js';
import { CHECK_FALL, CHECK_INTERVAL_MS, startHaproxy, type RunningHaproxy } from './lib/rehearsal-haproxy.js';
import { generateSignerKey } from '../src/modules/audit/db/note.js';
import { GATEWAY_NODE_FLAGS } from '../src/cli/node-flags.js';

const USAGE = `Usage: npm run rehearse:scale-out -- [--scale tiny|small] [--duration 20] [--connections 12] [--rate-limit 600]`;
const { values: flags } = parseArgs({
  options: {
    scale: { type: 'string', default: 'tiny' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '12' },
    'rate-limit': { type: 'string', default: '600' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const whole = (name: string, raw: string, min: number) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number of at least ${min}, got "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
if (!['tiny', 'small'].includes(flags.scale)) {
  console.error(`--scale must be tiny or small, got "${flags.scale}"\n${USAGE}`);
  process.exit(2);
}
const DURATION_S = whole('duration', flags.duration, 10);
const CONNECTIONS = whole('connections', flags.connections, 3);
const RATE_LIMIT = whole('rate-limit', flags['rate-limit'], 10);
const REPLICAS = 3;
const ISSUER = 'urn:danang:city-data-gateway:rehearsal';
const AUDIENCE = 'city-data-gateway';
const sh = promisify(execFile);

// ─── prerequisites ──────────────────────────────────────────────────────────────────────────

async function onPath(binary: string): Promise<boolean> {
  try {
    await sh('sh', ['-c', `command -v ${binary}`]);
    return true;
  } catch {
    return false;
  }
}
if (!(await onPath('haproxy'))) {
  console.error('haproxy is not on PATH: apt-get install haproxy');
  process.exit(1);
}
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
if (!existsSync(join(PG_BIN, 'pg_basebackup')) || !existsSync(join(PG_BIN, 'initdb'))) {
  console.error(`PostgreSQL 15 server binaries not found in ${PG_BIN}: apt-get install postgresql-15 (or set PG_BIN)`);
  process.exit(1);
}

/** The newest modification time under a folder (TypeScript sources only). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}
const START_JS = 'dist/src/cli/start.js';
// A dist older than the sources would rehearse code that is no longer there.
if (!existsSync(START_JS) || statSync(START_JS).mtimeMs < newest('src')) {
  console.log(existsSync(START_JS) ? 'dist is older than src/: npm run build' : 'no dist/: npm run build');
  await sh('npm', ['run', 'build'], { maxBuffer: 16 * 1024 * 1024 });
}

// ─── the parts ──────────────────────────────────────────────────────────────────────────────

const dir = mkdtempSync(join(tmpdir(), 'scale-out-'));
const t0 = performance.now();
const at = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[${at().padStart(7)}] ${line}`);

interface Gateway {
  name: string;
  port: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** performance.now() at its exit. */
  exitedAt?: number;
  stderr: string;
}

const parts: { primary?: PgCluster; replica?: PgCluster; haproxy?: RunningHaproxy; gateways: Gateway[]; redis?: Redis; redisDb?: number; jwks?: http.Server } = { gateways: [] };

async function tearDown(): Promise<void> {
  for (const gateway of parts.gateways) {
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) {
      gateway.child.kill('SIGTERM');
      const timer = setTimeout(() => gateway.child.kill('SIGKILL'), 15_000);
      await gateway.exited;
      clearTimeout(timer);
    }
  }
  await parts.haproxy?.stop().catch(() => undefined);
  await parts.replica?.stop().catch(() => undefined);
  await parts.primary?.stop().catch(() => undefined);
  if (parts.redis) {
    // Our own numbered database, found empty at the start.
    await parts.redis.flushdb().catch(() => undefined);
    parts.redis.disconnect();
  }
  await new Promise<void>((resolve) => (parts.jwks ? parts.jwks.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
}
let tornDown = false;
process.once('SIGINT', () => {
  if (tornDown) return;
  tornDown = true;
  void tearDown().finally(() => process.exit(130));
});

/** Tokens as an identity provider issues them: RS256, a key id, verified through the JWKS. */
interface Issuer {
  url: string;
  sign(claims: Record<string, string>, subject: string): Promise<string>;
}
async function identityProvider(): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'rehearsal', alg: 'RS256', use: 'sig' };
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  parts.jwks = server;
  const key: CryptoKey = privateKey;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    sign: (claims, subject) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'rehearsal' }).setSubject(subject).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('2h').sign(key),
  };
}

/** A numbered Redis database with no keys: the rate-limit counters of this run alone. */
async function emptyRedisDb(): Promise<{ url: string; db: number; redis: Redis }> {
  const base = process.env.REHEARSAL_REDIS ?? 'redis://127.0.0.1:6379';
  for (let db = 15; db >= 1; db -= 1) {
    const redis = new Redis(`${base}/${db}`, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(`Redis at ${base} is not reachable: ${(error as Error).message}`, { cause: error });
    }
    if ((await redis.dbsize()) === 0) return { url: `${base}/${db}`, db, redis };
    redis.disconnect();
  }
  throw new Error(`Redis at ${base}: no empty database among 1–15`);
}

function sourceEnv(primary: PgCluster, replica: PgCluster): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of SOURCE_NAMES) {
    env[sourceUrlVariable(source)] = `postgres://postgres@127.0.0.1:${primary.port}/gateway_${source}`;
    env[`${source.toUpperCase()}_READ_DATABASE_URL`] = `postgres://postgres@127.0.0.1:${replica.port}/gateway_${source}`;
  }
  return env;
}

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LC_ALL: 'C.UTF-8' });

async function cli(script: string, args: string[], env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await sh(process.execPath, [script, ...args], { env: { ...baseEnv(), ...env }, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${script} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

async function startGateway(name: string, env: Record<string, string>): Promise<Gateway> {
  const port = await freePort();
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, START_JS], { env: { ...baseEnv(), ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const gateway: Gateway = { name, port, child, stderr: '', exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))) };
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-4000)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (gateway.stderr = (gateway.stderr + chunk).slice(-4000)));
  void gateway.exited.then(() => (gateway.exitedAt = performance.now()));
  parts.gateways.push(gateway);
  const deadline = Date.now() + 120_000;
  while (!/City data gateway ready at/.test(stdout)) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready:\n${stdout}${gateway.stderr}`);
    if (Date.now() > deadline) throw new Error(`${name} not ready within 120 s:\n${stdout}${gateway.stderr}`);
    await sleep(100);
  }
  return gateway;
}

// ─── requests ───────────────────────────────────────────────────────────────────────────────

const MANIFEST = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
function persisted(operation: string, variables: Record<string, unknown>): string {
  const hash = Object.keys(MANIFEST).find((h) => new RegExp(`^query ${operation}[ (]`).test(MANIFEST[h]!));
  if (!hash) throw new Error(`${operation} is not in the trusted-documents manifest`);
  return JSON.stringify({ operationName: operation, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
}

type Operation = 'DatasetSearch' | 'OfficerWorklist' | 'CitizenPortal';
interface Outcome {
  id: string;
  operation: Operation | 'Burst';
  startedAt: number;
  endedAt: number;
  status?: number;
  servedBy?: string;
  /** A network error (no HTTP answer). */
  error?: string;
  graphqlErrors: boolean;
  /** The answer carries personal data (a resident's national id or name). */
  personal: boolean;
}

function post(agent: http.Agent, port: number, id: string, body: string, token: string | undefined): Promise<Omit<Outcome, 'operation' | 'startedAt' | 'endedAt' | 'personal'> & { text: string }> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('error', (error) => resolve({ id, error: String(error), graphqlErrors: false, text }));
        response.once('end', () => {
          const servedBy = response.headers['x-served-by'];
          resolve({ id, status: response.statusCode, servedBy: typeof servedBy === 'string' ? servedBy : undefined, graphqlErrors: /"errors"\s*:/.test(text), text });
        });
      },
    );
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', (error: NodeJS.ErrnoException) => resolve({ id, error: error.code ?? String(error), graphqlErrors: false, text: '' }));
    request.end(body);
  });
}

function hasPersonalData(operation: Operation, text: string): boolean {
  try {
    const body = JSON.parse(text) as { data?: { me?: { nationalId?: string } | null; dossiers?: { edges: Array<{ node: { applicant?: { __typename: string; fullName?: string | null } | null } }> } | null } };
    if (operation === 'CitizenPortal') return /^\d{12}$/.test(body.data?.me?.nationalId ?? '');
    if (operation === 'OfficerWorklist') return (body.data?.dossiers?.edges ?? []).some((e) => e.node.applicant?.__typename === 'Citizen' && Boolean(e.node.applicant.fullName));
  } catch {
    // an incomplete body has nothing
  }
  return false;
}

// ─── run ────────────────────────────────────────────────────────────────────────────────────

const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
  return ok ? 'ok' : 'FAILED';
};

try {
  say(`temp folder ${dir}`);
  const ports = { primary: await freePort(), replica: await freePort(), balancer: await freePort() };
  parts.primary = await startPrimary({ dir: join(dir, 'primary'), port: ports.primary });
  const admin = new pg.Client({ connectionString: parts.primary.url });
  await admin.connect();
  for (const source of SOURCE_NAMES) await admin.query(`create database gateway_${source}`);
  await admin.end();
  parts.replica = await startReplica({ dir: join(dir, 'replica'), port: ports.replica, primaryPort: ports.primary });
  say(`PostgreSQL primary on ${ports.primary}, streaming replica on ${ports.replica}`);
  const sources = sourceEnv(parts.primary, parts.replica);
  const primaryOnly = Object.fromEntries(SOURCE_NAMES.map((s) => [sourceUrlVariable(s), sources[sourceUrlVariable(s)]!]));
  await cli('dist/src/cli/migrate.js', [], primaryOnly);
  const seeded = await cli('dist/src/cli/seed.js', ['--scale', flags.scale], primaryOnly);
  say(seeded.trim().split('\n').at(-1) ?? 'seeded');

  // The replica must have replayed the seed before gateways read from it.
  const lsn = async (url: string, expression: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ lsn: string }>(`select (${expression})::text as lsn`)).rows[0]!.lsn;
    } finally {
      await client.end();
    }
  };
  const target = await lsn(parts.primary.url, 'pg_current_wal_lsn()');
  for (const deadline = Date.now() + 60_000; ; ) {
    const replayed = await lsn(parts.replica.url, `pg_last_wal_replay_lsn() >= '${target}'::pg_lsn`);
    if (replayed === 'true') break;
    if (Date.now() > deadline) throw new Error('the replica did not replay the seed within 60 s');
    await sleep(200);
  }

  const redis = await emptyRedisDb();
  parts.redis = redis.redis;
  parts.redisDb = redis.db;
  const idp = await identityProvider();
  say(`Redis database ${redis.db} for the rate limit; JWKS at ${idp.url}`);

  const gatewayEnv = {
    ...sources,
    NODE_ENV: 'production',
    AUTH_JWKS_URL: idp.url,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    CURSOR_SECRET: randomBytes(32).toString('hex'),
    // One checkpoint key for every replica, as in production.
    ACCESS_LOG_SIGNING_KEY: generateSignerKey('rehearsal.city-data-gateway.local/access-log'),
    REDIS_URL: redis.url,
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    REPLICAS: String(REPLICAS),
    TRUST_PROXY: 'loopback',
    // 3 gateways × 7 sources × (primary + replica) pools within PostgreSQL's 100 connections.
    DB_POOL_SIZE: '3',
    LOG_LEVEL: 'warn',
  };
  const gateways = await Promise.all(Array.from({ length: REPLICAS }, (_, i) => startGateway(`gw${i + 1}`, gatewayEnv)));
  say(`gateways ${gateways.map((g) => `${g.name} (pid ${g.child.pid}, port ${g.port})`).join(', ')}`);
  parts.haproxy = await startHaproxy(dir, ports.balancer, gateways.map((g) => ({ name: g.name, port: g.port })));
  const haproxy = parts.haproxy;
  // Every server up (rise 2 × 300 ms) before the load starts.
  for (const deadline = Date.now() + 15_000; ; ) {
    const seen = new Set<string>();
    for (let i = 0; i < 9; i += 1) {
      const served = (await fetch(`${haproxy.url}/readyz`)).headers.get('x-served-by');
      if (served) seen.add(served);
    }
    if (seen.size === REPLICAS) break;
    if (Date.now() > deadline) throw new Error(`HAProxy sees only ${[...seen].join(', ')} up`);
    await sleep(300);
  }
  const readyz = (await (await fetch(`http://127.0.0.1:${gateways[0]!.port}/readyz`)).json()) as Record<string, unknown>;
  say(`HAProxy on ${ports.balancer} → ${gateways.map((g) => g.name).join(', ')}; gw1 /readyz: ${JSON.stringify(readyz).slice(0, 400)}`);

  // Identities from the data: officers of agencies with open dossiers, residents with dossiers.
  const query = async <T extends pg.QueryResultRow>(source: string, text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: sources[sourceUrlVariable(source as (typeof SOURCE_NAMES)[number])] });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const agencyIds = (await query<{ id: number }>('services', `select distinct agency_id as id from services.dossiers where status in ('RECEIVED','PROCESSING','ADDITIONAL_INFO_REQUIRED') limit 12`)).map((r) => r.id);
  const agencies = (await query<{ code: string }>('reference', 'select code from reference.agencies where id = any($1)', [agencyIds])).map((r) => r.code);
  const applicantIds = (await query<{ id: number }>('services', `select distinct applicant_id as id from services.dossiers where applicant_kind = 'CITIZEN' order by 1 limit 24`)).map((r) => r.id);
  const residents = (await query<{ national_id: string }>('population', 'select national_id from population.citizens where id = any($1)', [applicantIds])).map((r) => r.national_id);
  if (!agencies.length || !residents.length) throw new Error('no agencies with open dossiers or no residents with dossiers in the seeded data');
  // Several officers per agency: the load must stay under each subject's rate limit (tiny data has
  // few agencies with open dossiers, and one officer per agency went past its limit).
  const officers = await Promise.all(
    Array.from({ length: Math.max(CONNECTIONS * 2, agencies.length) }, (_, i) =>
      idp.sign({ role: 'officer', agency: agencies[i % agencies.length]!, azp: 'officer-worklist' }, `rehearsal-officer-${i}`),
    ),
  );
  const citizens = await Promise.all(residents.map((citizen_id, i) => idp.sign({ role: 'citizen', citizen_id, azp: 'citizen-portal' }, `rehearsal-citizen-${i}`)));

  // ── 1. the shared rate limit: one subject, a burst past its limit, through the balancer ──
  const burstToken = await idp.sign({ role: 'analyst', azp: 'rehearsal' }, 'rehearsal-burst');
  const burstBody = persisted('DatasetSearch', { first: 1 });
  const burstTotal = RATE_LIMIT + Math.max(60, Math.round(RATE_LIMIT / 4));
  const burst: Outcome[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (sent < burstTotal) {
        const id = `burst-${(sent += 1)}`;
        const startedAt = performance.now();
        const result = await post(agent, ports.balancer, id, burstBody, burstToken);
        burst.push({ ...result, operation: 'Burst', startedAt, endedAt: performance.now(), personal: false });
      }
      agent.destroy();
    }),
  );
  const allowedBy: Record<string, number> = {};
  const refusedBy: Record<string, number> = {};
  for (const o of burst) {
    const by = o.servedBy ?? '?';
    if (o.status === 429) refusedBy[by] = (refusedBy[by] ?? 0) + 1;
    else if (o.status === 200) allowedBy[by] = (allowedBy[by] ?? 0) + 1;
  }
  const allowed = Object.values(allowedBy).reduce((a, b) => a + b, 0);
  const refused = Object.values(refusedBy).reduce((a, b) => a + b, 0);
  const fmt = (counts: Record<string, number>) => Object.entries(counts).sort().map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  say(`rate-limit burst: ${burst.length} requests from one subject (limit ${RATE_LIMIT}/min)`);
  console.log(`  allowed ${allowed} (${fmt(allowedBy)}): ${check(allowed === RATE_LIMIT, `the burst was allowed ${allowed} times, not the limit ${RATE_LIMIT}`)}`);
  console.log(`  refused 429 ${refused} (${fmt(refusedBy)}): ${check(refused === burst.length - RATE_LIMIT && Object.keys(refusedBy).length >= 2, 'the refusals did not come from several replicas, or some burst answer was neither 200 nor 429')}`);

  // ── 2. the load, with one replica killed and one drained in the middle ──
  const scans = async (cluster: PgCluster) => {
    let total = 0;
    for (const source of SOURCE_NAMES) {
      const url = new URL(cluster.url);
      url.pathname = `/gateway_${source}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        total += Number((await client.query<{ n: string }>('select coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::bigint as n from pg_stat_user_tables')).rows[0]!.n);
      } finally {
        await client.end();
      }
    }
    return total;
  };
  const scansBefore = { primary: await scans(parts.primary), replica: await scans(parts.replica) };

  const outcomes: Outcome[] = [];
  const searches = ['giao thong', 'dan so', 'du lich', 'y te', 'moi truong', 'da nang', null];
  const loadStart = performance.now();
  const loadEnd = loadStart + DURATION_S * 1000;
  let sequence = 0;
  const killed = gateways[1]!;
  const drained = gateways[2]!;
  let killedAt = 0;
  let drainedAt = 0;
  const chaos = (async () => {
    await sleep(DURATION_S * 350);
    killedAt = performance.now();
    killed.child.kill('SIGKILL');
    say(`SIGKILL ${killed.name} (pid ${killed.child.pid})`);
    await sleep(DURATION_S * 250);
    drainedAt = performance.now();
    drained.child.kill('SIGTERM');
    say(`SIGTERM ${drained.name} (pid ${drained.child.pid})`);
  })();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, worker) => {
      // Each connection from an address of its own: anonymous callers are limited per address.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: `127.0.0.${10 + worker}` });
      let turn = worker;
      while (performance.now() < loadEnd) {
        const operation: Operation = (['DatasetSearch', 'OfficerWorklist', 'CitizenPortal'] as const)[turn % 3]!;
        turn += 1;
        const id = `load-${(sequence += 1)}`;
        const [body, token] =
          operation === 'DatasetSearch'
            ? [persisted('DatasetSearch', { search: searches[turn % searches.length], first: 20 }), undefined]
            : operation === 'OfficerWorklist'
              ? [persisted('OfficerWorklist', { first: 25 }), officers[turn % officers.length]]
              : [persisted('CitizenPortal', {}), citizens[turn % citizens.length]];
        const startedAt = performance.now();
        const result = await post(agent, ports.balancer, id, body, token);
        const ok = result.status === 200 && !result.graphqlErrors;
        outcomes.push({ ...result, operation, startedAt, endedAt: performance.now(), personal: ok && hasPersonalData(operation, result.text) });
      }
      agent.destroy();
    }),
  );
  await chaos;
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const drainExit = await Promise.race([drained.exited, sleep(30_000).then(() => undefined)]);
  const drainSeconds = drained.exitedAt === undefined ? 'n/a' : ((drained.exitedAt - drainedAt) / 1000).toFixed(1);
  await sleep(1_500); // the replica's table statistics are flushed about once a second
  const scansAfter = { primary: await scans(parts.primary), replica: await scans(parts.replica) };
  await haproxy.stop();
  const logged = haproxy.requests();

  const failed = outcomes.filter((o) => o.error !== undefined || o.status !== 200 || o.graphqlErrors);
  // In flight on the killed replica: sent before the kill, ended after it, and either answered
  // 502 by HAProxy naming that server, or reset without any HAProxy log line. HAProxy logs every
  // answer it gives; when a server dies before answering a request that is not the first on its
  // keep-alive client connection, it closes that connection silently and logs nothing (as for a
  // keep-alive race, so that the client may retry): the reset, within moments of the kill.
  // Also a request HAProxy forwarded to the killed server before its health checks could mark it
  // down (sent within fall × inter of the kill, over a server connection that was already dead).
  const detectionMs = CHECK_FALL * CHECK_INTERVAL_MS;
  const inFlightAtKill = (o: Outcome) => o.startedAt <= killedAt + detectionMs && o.endedAt >= killedAt;
  const onKilled = failed.filter((o) => {
    if (!inFlightAtKill(o)) return false;
    const entry = logged.get(o.id);
    if (entry) return entry.server === killed.name;
    return o.error === 'ECONNRESET' && o.endedAt - killedAt < 2_000;
  });
  const elsewhere = failed.filter((o) => !onKilled.includes(o));
  const byServer: Record<string, number> = {};
  for (const o of outcomes) {
    const server = o.servedBy ?? logged.get(o.id)?.server ?? '?';
    byServer[server] = (byServer[server] ?? 0) + 1;
  }
  const byOperation: Record<string, number> = {};
  for (const o of outcomes) byOperation[o.operation] = (byOperation[o.operation] ?? 0) + 1;
  const latencies = outcomes.filter((o) => o.status === 200).map((o) => o.endedAt - o.startedAt).sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]!.toFixed(0) : 'n/a');

  say(`load: ${CONNECTIONS} connections for ${loadSeconds.toFixed(1)} s through HAProxy`);
  console.log(`  requests ${outcomes.length} (${fmt(byOperation)}); ${(outcomes.length / loadSeconds).toFixed(0)} req/s; p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
  console.log(`  answered by ${fmt(byServer)}`);
  console.log(`  failures ${failed.length}: ${onKilled.length} in flight on ${killed.name} when it was killed (or sent to it in the ${detectionMs} ms before HAProxy could mark it down), ${elsewhere.length} elsewhere: ${check(elsewhere.length === 0, `${elsewhere.length} failures not on the killed replica`)}`);
  for (const o of [...onKilled, ...elsewhere].slice(0, 8)) {
    const entry = logged.get(o.id);
    const when = `sent ${((o.startedAt - killedAt) / 1000).toFixed(2)} s, ended ${((o.endedAt - killedAt) / 1000).toFixed(2)} s from the kill`;
    console.log(`    ${o.id} ${o.operation}: ${o.error ?? `HTTP ${o.status}${o.graphqlErrors ? ' with GraphQL errors' : ''}`}; ${when}; HAProxy: ${entry ? `${entry.server} ${entry.status} ${entry.termination}` : 'no log line'}`);
  }
  const drainedFailures = failed.filter((o) => logged.get(o.id)?.server === drained.name).length;
  console.log(`  ${drained.name} drained: exit ${drainExit ? `code ${drainExit.code} ${drainSeconds} s after SIGTERM` : 'not within 30 s'}, ${drainedFailures} failures: ${check(drainExit?.code === 0 && drainedFailures === 0, `the drained replica failed requests or did not exit 0`)}`);
  for (const event of haproxy.events()) console.log(`  HAProxy: ${event.trim()}`);
  const replicaScans = scansAfter.replica - scansBefore.replica;
  console.log(`  table scans during the load: primary ${scansAfter.primary - scansBefore.primary}, replica ${replicaScans}: ${check(replicaScans > 0, 'the replica served no reads')}`);

  // ── 3. the access log: entries exactly for the responses with personal data ──
  const personal = outcomes.filter((o) => o.personal);
  const entryRows = await query<{ request_id: string; n: number }>(
    'audit',
    `select request_id, count(*)::int as n from audit.access_log where request_id like 'load-%' and outcome = 'GRANTED' group by request_id`,
  );
  const withEntries = new Map(entryRows.map((r) => [r.request_id, r.n]));
  const missing = personal.filter((o) => !withEntries.has(o.id));
  const lostIds = new Set(onKilled.map((o) => o.id));
  const personalIds = new Set(personal.map((o) => o.id));
  const extra = [...withEntries.keys()].filter((id) => !personalIds.has(id));
  const extraLost = extra.filter((id) => lostIds.has(id));
  const entries = [...withEntries.values()].reduce((a, b) => a + b, 0);
  say('access log (audit database on the primary)');
  console.log(`  personal-data responses ${personal.length}; requests with GRANTED entries ${withEntries.size} (${entries} entries)`);
  console.log(`  responses without entries ${missing.length}; entries without a personal-data response ${extra.length} (${extraLost.length} of requests lost with ${killed.name}): ${check(missing.length === 0 && extra.length === extraLost.length, 'access-log entries and personal-data responses do not match')}`);
  const verify = await cli('dist/src/cli/audit-verify.js', [], primaryOnly).catch((error: Error) => error.message);
  console.log(`  audit:verify: ${verify.trim()}: ${check(/^intact/.test(verify.trim()), 'audit:verify did not say intact')}`);
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  if (!tornDown) {
    tornDown = true;
    await tearDown();
  }
}
say(`stopped everything, removed ${dir}`);
if (problems.length) {
  console.error(`\nRehearsal FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nRehearsal passed: every invariant held.');
process.exit(0);
