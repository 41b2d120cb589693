/**
 * The log-append benchmark (issue 15): durable access-log appends per second and append latency
 * (p50, p99) with 1 and with 3 replica processes on PostgreSQL, each driving the same number of
 * concurrent appenders through the gateway's own writer (group commit per process), for two
 * designs in the same run:
 *
 *   head-row  the design before issue 15: every append extends one hash chain under the head row
 *             (`SELECT … FOR UPDATE`), so appenders of every process queue on that row;
 *   tree      the transparency log: entries and their pending rows in one statement, no shared
 *             row; one integrator (the lease holder among the processes) sequences them.
 *
 * Lock waits in the audit database are sampled from pg_locks while each run goes; for the tree,
 * the time from append to provable inclusion (the first signed checkpoint covering the leaf).
 *
 *   npx tsx bench/log-append.ts [--duration 10] [--appenders 16] [--admin-url postgres://…]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Migrator } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { auditRepositories, type AccessLogEntry } from '../src/modules/audit/db/index.js';
import { migrations } from '../src/modules/audit/db/migrations/index.js';
import { accessLogSigner } from '../src/modules/audit/keys.js';
import { openConnections } from '../src/platform/db/connection.js';
import { IntegratorService } from '../src/server/plugins/access-log/integrator.js';
import { AccessLogWriter } from '../src/server/plugins/access-log/writer.js';
import { createLogger } from '../src/server/logger.js';

const KEY = 'PRIVATE+KEY+city-data-gateway.bench/access-log+a4e4d39c+AXtKo00Sb7516lzl+vctOqTyKxCAnUUfDiXycqemtDx3';
type Design = 'head-row' | 'tree';

interface WorkerReport {
  appends: number;
  latencies: number[];
}

function entries(worker: number, n: number): AccessLogEntry[] {
  // One request's entries: the fields read, the person found by national id, the value searched for.
  return [
    { requestId: `bench-${worker}-${n}`, actorSubject: 'officer-7', actorRole: 'officer', actorAgency: 'UBND-HC', purpose: 'DOSSIER_PROCESSING', caseReference: `H17.25-${n}`, subjectType: 'CITIZEN', subjectId: String(n % 5000), fields: ['birthDate', 'fullName'], outcome: 'GRANTED' },
    { requestId: `bench-${worker}-${n}`, actorSubject: 'officer-7', actorRole: 'officer', actorAgency: 'UBND-HC', purpose: 'DOSSIER_PROCESSING', subjectType: 'CITIZEN', subjectId: String(n % 5000), fields: ['nationalId'], outcome: 'FOUND_BY' },
    { requestId: `bench-${worker}-${n}`, actorSubject: 'officer-7', actorRole: 'officer', actorAgency: 'UBND-HC', purpose: 'DOSSIER_PROCESSING', subjectType: 'CRITERION', subjectId: `nationalId:${n}`, fields: ['nationalId'], outcome: 'FOUND_BY' },
  ];
}

async function worker(): Promise<void> {
  const design = process.env.BENCH_DESIGN as Design;
  const appenders = Number(process.env.BENCH_APPENDERS);
  const startAt = Number(process.env.BENCH_START_AT);
  const endAt = startAt + Number(process.env.BENCH_DURATION_MS);
  const id = Number(process.env.BENCH_WORKER);
  const config = loadConfig({ DATABASE_URL: process.env.BENCH_URL, ACCESS_LOG_SIGNING_KEY: KEY, DB_POOL_SIZE: '8', LOG_LEVEL: 'silent' });
  const connections = await openConnections(config);
  const repos = auditRepositories(connections.sources.audit.db);
  const writer = new AccessLogWriter((batch) => (design === 'head-row' ? repos.accessLog.appendChained(batch, { intoTree: false }) : repos.accessLog.append(batch)), { timeoutMs: 30_000 });
  const integrator =
    design === 'tree'
      ? new IntegratorService({ signer: accessLogSigner(config.accessLog), audit: connections.sources.audit, source: config.sources.audit, config: config.accessLog, logger: createLogger('silent') })
      : undefined;
  await integrator?.start();
  const report: WorkerReport = { appends: 0, latencies: [] };
  while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 5));
  let n = 0;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (Date.now() < endAt) {
        const batch = entries(id, (n += 1));
        const started = performance.now();
        await writer.write(batch);
        report.latencies.push(performance.now() - started);
        report.appends += 1;
      }
    }),
  );
  // The integrator goes on until the parent has seen every entry integrated.
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (integrator) await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await integrator?.stop();
  await connections.close();
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

interface RunResult {
  design: Design;
  replicas: number;
  appendsPerSecond: number;
  entriesPerSecond: number;
  p50: number;
  p99: number;
  waits: Map<string, number>;
  samples: number;
  inclusion?: { p50: number; p99: number };
}

async function runOnce(url: string, admin: pg.Client, design: Design, replicas: number, appenders: number, durationMs: number): Promise<RunResult> {
  await admin.query('drop schema if exists audit cascade');
  await admin.query('create schema audit');
  const config = loadConfig({ DATABASE_URL: url, ACCESS_LOG_SIGNING_KEY: KEY });
  const connections = await openConnections(config, { maintenance: true });
  const { error } = await new Migrator({ db: connections.sources.audit.root, provider: { getMigrations: async () => migrations }, migrationTableSchema: 'audit' }).migrateToLatest();
  if (error) throw error;
  await connections.close();

  const startAt = Date.now() + 8_000;
  const children = Array.from({ length: replicas }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', 'bench/log-append.ts', '--worker'], {
      env: { ...process.env, BENCH_URL: url, BENCH_DESIGN: design, BENCH_APPENDERS: String(appenders), BENCH_START_AT: String(startAt), BENCH_DURATION_MS: String(durationMs), BENCH_WORKER: String(i) },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const reports = children.map(
    (child) =>
      new Promise<WorkerReport>((resolve, reject) => {
        let out = '';
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as WorkerReport);
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
      }),
  );
  // Lock waits in the audit database while the appenders run.
  const waits = new Map<string, number>();
  let samples = 0;
  while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 20));
  while (Date.now() < startAt + durationMs) {
    const { rows } = await admin.query<{ what: string }>(`select l.locktype || coalesce(':' || l.relation::regclass::text, '') || ':' || l.mode as what
      from pg_locks l where not l.granted and l.database = (select oid from pg_database where datname = current_database())`);
    // A transactionid wait in the head-row design is a wait for the head row's holder to commit.
    for (const { what } of rows) waits.set(what, (waits.get(what) ?? 0) + 1);
    samples += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const done = await Promise.all(reports);
  let inclusion: RunResult['inclusion'];
  if (design === 'tree') {
    const deadline = Date.now() + 30_000;
    while (Number((await admin.query<{ n: string }>('select count(*) as n from audit.access_log_pending')).rows[0]!.n) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { rows } = await admin.query<{ p50: number; p99: number }>(`select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99 from (
      select extract(epoch from (c.signed_at - e.occurred_at)) * 1000 as ms from audit.access_log_leaf l join audit.access_log e on e.id = l.entry_id
      cross join lateral (select signed_at from audit.access_log_checkpoint c where c.tree_size > l.leaf_index order by c.tree_size limit 1) c) d`);
    inclusion = { p50: Number(rows[0]!.p50), p99: Number(rows[0]!.p99) };
  }
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  const latencies = done.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const appends = done.reduce((n, r) => n + r.appends, 0);
  return { design, replicas, appendsPerSecond: appends / (durationMs / 1000), entriesPerSecond: (3 * appends) / (durationMs / 1000), p50: pct(latencies, 50), p99: pct(latencies, 99), waits, samples, inclusion };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, appenders: { type: 'string' }, 'admin-url': { type: 'string' } } });
  const durationMs = Number(values.duration ?? 10) * 1000;
  const appenders = Number(values.appenders ?? 16);
  const adminUrl = values['admin-url'] ?? process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `gateway_bench_log_append_${process.pid}`;
  const server = new pg.Client({ connectionString: adminUrl });
  await server.connect();
  await server.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const results: RunResult[] = [];
  try {
    for (const design of ['head-row', 'tree'] as const) {
      for (const replicas of [1, 3]) {
        const result = await runOnce(url.toString(), admin, design, replicas, appenders, durationMs);
        results.push(result);
        console.error(`${design}, ${replicas} replica(s): ${result.appendsPerSecond.toFixed(0)} appends/s`);
      }
    }
  } finally {
    await admin.end();
    await server.query(`drop database if exists ${name} with (force)`);
    await server.end();
  }
  const rate = (design: Design, replicas: number) => results.find((r) => r.design === design && r.replicas === replicas)!.appendsPerSecond;
  const lines = [
    `log-append on PostgreSQL, ${appenders} concurrent appenders per process (3 entries per append, group commit per process), ${durationMs / 1000} s per run`,
    '',
    '| design | processes | appends/s | entries/s | append p50 ms | append p99 ms | lock waits seen (samples with a waiter / samples) | append → provable p50 / p99 ms |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) => {
      const waiting = [...r.waits.entries()].map(([what, n]) => `${what} ×${n}`).join(', ') || 'none';
      return `| ${r.design} | ${r.replicas} | ${r.appendsPerSecond.toFixed(0)} | ${r.entriesPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${waiting} (${r.samples} samples) | ${r.inclusion ? `${r.inclusion.p50.toFixed(0)} / ${r.inclusion.p99.toFixed(0)}` : '—'} |`;
    }),
    '',
    `3 processes ÷ 1: head-row ${(rate('head-row', 3) / rate('head-row', 1)).toFixed(2)}×, tree ${(rate('tree', 3) / rate('tree', 1)).toFixed(2)}×`,
  ];
  console.log(lines.join('\n'));
}

if (process.argv.includes('--worker')) await worker();
else await main();
