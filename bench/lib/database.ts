import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { scaleNamed, seedAll } from '../../src/seed/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openConnections, type Connections } from '../../src/platform/db/connection.js';
import { migrateAll } from '../../src/modules/migrate.js';

/** The PostgreSQL server the bench creates its databases on (an admin URL: it may create databases). */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_SEED = 20241031;

export interface BenchTarget {
  /** `postgres` (a database per scale on the server) or `embedded` (a PGlite folder per scale). */
  backend: 'postgres' | 'embedded';
  scale: string;
  seed: number;
  adminUrl: string;
  /** Embedded: the folder that holds a PGlite folder per scale (default data/bench, which git ignores). */
  dataDir?: string;
  /** PostgreSQL: the database's name instead of gateway_bench_<scale> (a test's own). */
  database?: string;
}

export interface BenchDatabase {
  /** Environment that points a gateway (loadConfig) at the seeded sources. */
  env: Record<string, string>;
  config: Config;
  /** Where the data lives, for the report (no password). */
  describe: string;
  /** Seconds spent seeding in this run; null when the marker matched and seeding was skipped. */
  seededSeconds: number | null;
  /** `show server_version`. */
  serverVersion: string;
}

/** One database per scale (`gateway_bench_medium`, `gateway_bench_city`), reused across runs. */
export function benchDatabaseName(scale: string): string {
  return `gateway_bench_${scale}`;
}

function serverEnv(adminUrl: string, database: string): Record<string, string> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return { DATABASE_URL: url.toString() };
}

function databaseOf(target: Pick<BenchTarget, 'scale' | 'database'>): string {
  if (target.database !== undefined && !/^[a-z_][a-z0-9_]*$/.test(target.database)) throw new Error(`--database must be a plain lower-case name, got "${target.database}"`);
  return target.database ?? benchDatabaseName(target.scale);
}

export function embeddedDir(target: Pick<BenchTarget, 'scale' | 'dataDir'>): string {
  return path.resolve(target.dataDir ?? path.join('data', 'bench'), `pglite-${target.scale}`);
}

/** Environment that points loadConfig at the bench's data for a target. */
export function benchEnv(target: BenchTarget): Record<string, string> {
  return target.backend === 'embedded' ? { DATA_DIR: embeddedDir(target) } : serverEnv(target.adminUrl, databaseOf(target));
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

interface Marker {
  scale: string;
  seed: number;
}

/**
 * The seed marker: which scale and seed the data was made with. A table of its own in the
 * public schema, beside the sources' schemas; a run whose scale and seed match skips seeding.
 */
async function readMarker(connections: Connections): Promise<Marker | null> {
  const db = connections.sources.reference.root;
  await sql`create table if not exists public.gateway_bench_marker (scale text not null, seed int not null, seeded_at timestamptz not null default now())`.execute(db);
  const { rows } = await sql<Marker>`select scale, seed from public.gateway_bench_marker limit 1`.execute(db);
  return rows[0] ?? null;
}

async function writeMarker(connections: Connections, marker: Marker): Promise<void> {
  const db = connections.sources.reference.root;
  await sql`delete from public.gateway_bench_marker`.execute(db);
  await sql`insert into public.gateway_bench_marker (scale, seed) values (${marker.scale}, ${marker.seed})`.execute(db);
}

/**
 * Creates (once) the bench's database for a scale, migrates it and seeds it unless the marker
 * says it already holds that scale and seed. Returns open connections for fixture queries; the
 * caller closes them (an embedded folder can be opened by one process at a time).
 */
export async function prepareBenchDatabase(
  target: BenchTarget,
  options: { reseed?: boolean; log?: (message: string) => void } = {},
): Promise<BenchDatabase & { connections: Connections }> {
  const log = options.log ?? (() => undefined);
  scaleNamed(target.scale);
  if (target.backend === 'postgres') await createDatabaseIfMissing(target.adminUrl, databaseOf(target));
  else mkdirSync(path.dirname(embeddedDir(target)), { recursive: true });
  const env = benchEnv(target);
  // Seeding the city scale copies millions of rows in one statement: no statement timeout.
  const config = loadConfig({ ...env, DB_STATEMENT_TIMEOUT_MS: '600000' });
  const connections = await openConnections(config);
  try {
    await migrateAll(connections);
    const marker = await readMarker(connections);
    let seededSeconds: number | null = null;
    if (options.reseed || !marker || marker.scale !== target.scale || marker.seed !== target.seed) {
      log(`seeding the ${target.scale} scale (seed ${target.seed}) into ${describeTarget(target)}...`);
      const started = performance.now();
      await seedAll(connections, scaleNamed(target.scale), target.seed, (message) => log(`  ${message}`));
      // Vacuumed as well as analyzed: a server with autovacuum off (this machine's) would otherwise
      // serve the bench from tables without a visibility map (index-only scans reading the heap).
      await sql`vacuum (analyze)`.execute(connections.sources.reference.root);
      seededSeconds = (performance.now() - started) / 1000;
      await writeMarker(connections, { scale: target.scale, seed: target.seed });
      log(`seeded in ${seededSeconds.toFixed(1)} s`);
    } else {
      log(`${describeTarget(target)} already holds the ${target.scale} scale (seed ${target.seed}): seeding skipped`);
    }
    const { rows } = await sql<{ server_version: string }>`show server_version`.execute(connections.sources.reference.root);
    return { env, config, describe: describeTarget(target), seededSeconds, serverVersion: rows[0]?.server_version ?? 'unknown', connections };
  } catch (error) {
    await connections.close();
    throw error;
  }
}

export function describeTarget(target: BenchTarget): string {
  if (target.backend === 'embedded') return `embedded PGlite (${path.relative(process.cwd(), embeddedDir(target)) || '.'})`;
  const url = new URL(serverEnv(target.adminUrl, databaseOf(target)).DATABASE_URL!);
  if (url.password) url.password = '***';
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/** Whether CHECKPOINT was refused to this bench's role (said once). */
let checkpointRefused = false;

/**
 * Settles what the measurements before left in the database (PostgreSQL; the embedded folder is
 * open in the server's process): the dead rows of the access log's pending queue (its integrator
 * deletes every row it takes; this machine's PostgreSQL runs with autovacuum off, so they would
 * pile up run after run) and the dirty pages of the log's writes (a checkpoint). Without it, one
 * server's deferred database work lands in the next one's figures: PostGraphile's worklist,
 * measured after the gateways' logged loads, cost 6.4 CPU ms per request instead of 2.8.
 */
export async function settleDatabase(env: Record<string, string>): Promise<void> {
  if (!env.DATABASE_URL) return;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>(`select to_regclass('audit.access_log_pending') is not null as present`);
    if (rows[0]?.present) await client.query('vacuum (analyze) audit.access_log_pending, audit.access_log_tree, audit.access_log, audit.access_log_leaf, audit.access_log_node');
    await client.query('checkpoint').catch((error: { code?: string }) => {
      // CHECKPOINT needs a superuser or pg_checkpoint (PostgreSQL 15); a bench role that may only create databases goes on without it.
      if (error.code !== '42501') throw error;
      if (!checkpointRefused) console.warn('[bench] CHECKPOINT refused for this role (needs superuser or pg_checkpoint): measurements start without one');
      checkpointRefused = true;
    });
  } finally {
    await client.end();
  }
}

/**
 * Waits until the access log has taken every entry of a load into its tree (PostgreSQL), so that
 * the integrator's work for them, done within about a second of their writes, counts in that
 * load's CPU time. Gives up after `timeoutMs` (the figure then leaves out the rest).
 */
export async function logIntegrated(env: Record<string, string>, timeoutMs = 30_000): Promise<boolean> {
  if (!env.DATABASE_URL) return true;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ pending: boolean }>('select exists (select 1 from audit.access_log_pending) as pending');
      if (!rows[0]?.pending) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}
