import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StatementCounterPlugin } from './query-stats.js';
import { ReadReplica, ReadRoutingDialect, type ReplicaHealth } from './read-replica.js';
import { DataFolderInUseError, lockDataFolder, type DataFolderLock } from './embedded-lock.js';
import { reasonOf, SourceDialect } from './source-errors.js';
import { SourceEvents } from './source-events.js';
import { sourceUrlVariable, type SourceName } from './source-names.js';
import { PG_TYPES, timestamptzParser, VALUE_PARSERS } from './type-parsers.js';

/** One source's connection settings (src/config.ts reads them from the environment). */
export interface SourceConfig {
  /** PostgreSQL URL; undefined means the embedded database. */
  url?: string;
  /** Which variable the URL came from, for error messages. */
  variable?: string;
  /** Connections in this source's pool. */
  poolSize: number;
  /** Longest a statement may run on this source before the server cancels it. */
  statementTimeoutMs: number;
  /** Longest to wait for a connection (a source down must fail fast, not hang requests). */
  connectTimeoutMs: number;
  /** A read replica of `url` (<SOURCE>_READ_DATABASE_URL, else DATABASE_READ_URL): see read-replica.ts. */
  readUrl?: string;
  /** Which variable the read URL came from, for error messages. */
  readVariable?: string;
}

/** What openConnections takes (the gateway's Config is one). */
export interface ConnectionsConfig {
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  sources: Record<SourceName, SourceConfig>;
  /** A replica further behind its primary serves no reads until it catches up. */
  readReplicaMaxLagMs: number;
}

/** Rows in PostgreSQL COPY text format, a chunk at a time. */
export type CopyChunks = AsyncIterable<string> | Iterable<string>;

export interface SourceConnection {
  name: SourceName;
  /** The PostgreSQL schema that holds this source's tables (the source's name). */
  schema: string;
  /** Scoped to the source's schema and counted per request. */
  db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each source narrows it to its own tables
  /** Unscoped, for migrations. */
  root: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  embedded: boolean;
  /** Where the connection came from, for error messages. */
  describe: string;
  /** Bulk-loads rows into one table in one transaction. */
  copy(table: string, columns: readonly string[], chunks: CopyChunks): Promise<number>;
}

export interface Connections {
  sources: Record<SourceName, SourceConnection>;
  embedded: boolean;
  /** The connection pool of each source on a server (pool metrics). */
  pools: Partial<Record<SourceName, pg.Pool>>;
  /** The read replica of each source that has one (READ URLs; never for maintenance). */
  replicas: Partial<Record<SourceName, ReadReplica>>;
  /** Every statement and every up/down outcome of these sources (metrics, the outage log): these connections' only. */
  events: SourceEvents;
  close(): Promise<void>;
}

/** A configuration or connection problem, reported as one line naming the source and variable. */
export class SourceConfigError extends Error {}

/** The embedded data folder is held by another process (which one is in the message). */
export class EmbeddedDatabaseInUseError extends SourceConfigError {}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** `pg` only: PGlite keeps its own timestamptz parser, so embedded rows stay as they were. */
const PG_ONLY_PARSERS: Record<number, (value: string) => unknown> = {
  [PG_TYPES.TIMESTAMPTZ]: timestamptzParser(pg.types.getTypeParser(PG_TYPES.TIMESTAMPTZ, 'text')),
};

const PG_TYPE_PARSERS = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return VALUE_PARSERS[oid] ?? (format === 'binary' ? undefined : PG_ONLY_PARSERS[oid]) ?? pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface OpenOptions {
  /** Pool size per source on a server. */
  poolSize?: number;
  /**
   * Migrations and seeds: no statement timeout (loading 1.2 million citizens takes longer than
   * any request may).
   */
  maintenance?: boolean;
}

/** Opens every source: embedded PGlite (one schema per source) or one pool per source URL. */
export async function openConnections(config: ConnectionsConfig, options: OpenOptions = {}): Promise<Connections> {
  const sources = {} as Record<SourceName, SourceConnection>;
  const pools: Partial<Record<SourceName, pg.Pool>> = {};
  const replicas: Partial<Record<SourceName, ReadReplica>> = {};
  const closers: Array<() => Promise<void>> = [];
  const events = new SourceEvents();
  let pglite: PGlite | undefined;
  let pgliteRoot: Kysely<unknown> | undefined;
  let lock: DataFolderLock | undefined;
  // The folder's lock goes last, once the database it guards has closed.
  const closeAll = async () => {
    await Promise.allSettled(closers.map((close) => close()));
    lock?.release();
  };

  try {
    for (const name of Object.keys(config.sources) as SourceName[]) {
      const { url, variable } = config.sources[name];
      const counter = new StatementCounterPlugin(name, events);
      if (!url) {
        if (!pglite) {
          if (config.dataDir !== 'memory://') {
            // data/ is git-ignored: a fresh clone has no folder to open.
            mkdirSync(config.dataDir, { recursive: true });
            try {
              lock = lockDataFolder(config.dataDir);
            } catch (error) {
              throw error instanceof DataFolderInUseError ? new EmbeddedDatabaseInUseError(error.message) : error;
            }
          }
          pglite = await PGlite.create({
            dataDir: config.dataDir === 'memory://' ? undefined : config.dataDir,
            extensions: { unaccent, pg_trgm },
            parsers: VALUE_PARSERS,
          });
          // One driver for all embedded sources: PGlite has one connection, and the driver's
          // lock keeps one source's transaction from taking in another's statements.
          pgliteRoot = new Kysely({ dialect: new PGliteDialect(yieldingPerStatement(pglite)) });
          const db = pglite;
          closers.push(() => db.close());
        }
        const embedded = pglite;
        sources[name] = {
          name,
          schema: name,
          db: pgliteRoot!.withSchema(name).withPlugin(counter),
          root: pgliteRoot!,
          embedded: true,
          describe: `${name} (embedded at ${config.dataDir})`,
          copy: (table, columns, chunks) => copyIntoPglite(embedded, `${name}.${table}`, columns, chunks),
        };
      } else {
        const settings = config.sources[name];
        const pool = createPool(url, settings, options);
        const root = new Kysely<unknown>({ dialect: new SourceDialect(new PostgresDialect({ pool }), name, events) });
        pools[name] = pool;
        closers.push(() => root.destroy());
        // Migrations and seeds write (and read what they wrote): the primary only.
        let routed: Kysely<unknown> | undefined;
        if (settings.readUrl && !options.maintenance) {
          const replicaPool = createPool(settings.readUrl, settings, options);
          const replica = new ReadReplica(name, replicaPool, `${settings.readVariable}=${redact(settings.readUrl)}`, config.readReplicaMaxLagMs);
          replicas[name] = replica;
          const dialect = new ReadRoutingDialect(new SourceDialect(new PostgresDialect({ pool }), name, events), new PostgresDialect({ pool: replicaPool }), replica);
          const db = new Kysely<unknown>({ dialect });
          routed = db;
          // Ends the replica's pool only; `root` ends the primary's.
          closers.push(() => db.destroy());
        }
        sources[name] = {
          name,
          schema: name,
          // Repositories read through `db` (routed); `root` (migrations, health) is the primary's.
          db: (routed ?? root).withSchema(name).withPlugin(counter),
          root,
          embedded: false,
          describe: `${name} (${variable ?? sourceUrlVariable(name)}=${redact(url)})`,
          copy: (table, columns, chunks) => copyIntoPool(pool, `${name}.${table}`, columns, chunks),
        };
      }
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  return {
    sources,
    embedded: Object.values(sources).every((source) => source.embedded),
    pools,
    replicas,
    events,
    close: closeAll,
  };
}

function createPool(url: string, settings: SourceConfig, options: OpenOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // The server cancels a slow statement; the client gives up on a silent socket soon after.
    statement_timeout: options.maintenance ? 0 : settings.statementTimeoutMs,
    query_timeout: options.maintenance ? undefined : settings.statementTimeoutMs + 1_000,
    types: PG_TYPE_PARSERS,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // A client in use that loses its connection also emits 'error': the statement it runs
  // fails (SOURCE_UNAVAILABLE) and the pool discards the client; the process must live on.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // Migrations and seeds run each statement once, some of them several commands in one text.
  if (!options.maintenance) pool.on('connect', nameRepeatedStatements);
  return pool;
}

/**
 * Statement texts seen, and the names of those sent as named prepared statements. A text seen a
 * second time gets a name derived from it (a hash): the server then parses and plans it once per
 * connection, and later sends skip the Parse message (what PostGraphile does). Names are bounded
 * per process (`MAX_NAMED`: each is a prepared statement on every connection of a pool) and only
 * repeated texts get one, so one-off texts (a search's variant) do not take the slots of the
 * loaders' few shapes.
 */
const seenOnce = new Set<string>();
const statementNames = new Map<string, string>();
const MAX_NAMED = 256;
const MAX_SEEN = 4096;

export function statementName(text: string): string | undefined {
  const named = statementNames.get(text);
  if (named !== undefined) return named;
  if (statementNames.size >= MAX_NAMED) return undefined;
  if (!seenOnce.has(text)) {
    if (seenOnce.size >= MAX_SEEN) seenOnce.clear();
    seenOnce.add(text);
    return undefined;
  }
  seenOnce.delete(text);
  const name = `g_${createHash('sha1').update(text).digest('base64url').slice(0, 27)}`;
  statementNames.set(text, name);
  return name;
}

type QueryFunction = (...args: unknown[]) => unknown;

/**
 * Sends this client's parameterized statements with a name when their text repeats (Kysely's
 * driver calls `query(text, values)`). Statements without parameters (transaction control, COPY,
 * health checks) are sent as they were: a text with several commands cannot be prepared.
 */
function nameRepeatedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFunction;
  (client as unknown as { query: QueryFunction }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(text);
      if (name) return query({ name, text, values });
    }
    return query(...args);
  };
}

export type SourceHealth = { status: 'up' } | { status: 'down'; reason: string };

/** Asks every source at once whether it answers, each within `timeoutMs`. */
export async function sourceHealth(connections: Connections, timeoutMs = 2_000): Promise<Record<SourceName, SourceHealth>> {
  const entries = await Promise.all(
    Object.values(connections.sources).map(async (source): Promise<[SourceName, SourceHealth]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          sql`select 1`.execute(source.root),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [source.name, { status: 'up' }];
      } catch (error) {
        return [source.name, { status: 'down', reason: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries) as Record<SourceName, SourceHealth>;
}

/** Samples every read replica now (up, lagging or down); undefined when no source has one. */
export async function replicaHealth(connections: Connections, timeoutMs = 2_000): Promise<Partial<Record<SourceName, ReplicaHealth>> | undefined> {
  const replicas = Object.values(connections.replicas ?? {});
  if (replicas.length === 0) return undefined;
  const entries = await Promise.all(
    replicas.map(async (replica): Promise<[SourceName, ReplicaHealth]> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<ReplicaHealth>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'down', reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        return [replica.source, await Promise.race([replica.check(), late])];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** Checks that every source answers; throws one line naming the first that does not. */
export async function checkConnections(connections: Connections): Promise<void> {
  for (const source of Object.values(connections.sources)) {
    try {
      await sql`select 1`.execute(source.root);
    } catch (error) {
      // The driver's own words (`connect ECONNREFUSED …`, `database "x" does not exist`), not our wrapper's.
      throw new SourceConfigError(`${source.describe}: cannot connect: ${reasonOf(error)}`);
    }
  }
}

function copySql(table: string, columns: readonly string[]): string {
  return `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`;
}

async function copyIntoPool(pool: pg.Pool, table: string, columns: readonly string[], chunks: CopyChunks): Promise<number> {
  const client = await pool.connect();
  let rows = 0;
  try {
    await client.query('begin');
    const stream = client.query(copyFrom(copySql(table, columns)));
    const counted = Readable.from(countLines(chunks, (n) => (rows += n)));
    await pipeline(counted, stream as unknown as Writable);
    await client.query('commit');
    return rows;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * PGlite runs each statement synchronously and settles it in microtasks: without a yield, one
 * turn of the event loop carries every request in flight through all its statements, and under
 * load a turn lasts hundreds of milliseconds. Node accepts one queued connection per turn, so
 * new clients waited seconds in the kernel's accept queue (and a drain that closed the listener
 * reset them). One turn per statement keeps turns short: one statement per request in flight.
 */
function yieldingPerStatement(db: PGlite): PGlite {
  const query: PGlite['query'] = async (...args) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return db.query(...args);
  };
  // What the dialect calls (query, close) and what notifications.ts takes from its connection
  // (listen); PGlite's private fields need its own `this`.
  const client: Pick<PGlite, 'query' | 'close' | 'listen'> = { query, close: () => db.close(), listen: (...args) => db.listen(...args) };
  return client as PGlite;
}

async function copyIntoPglite(db: PGlite, table: string, columns: readonly string[], chunks: CopyChunks): Promise<number> {
  // PGlite reads COPY input from a blob; load in slices so memory stays flat at larger scales.
  const slices: string[] = [];
  let size = 0;
  let rows = 0;
  await db.transaction(async (tx) => {
    const flush = async () => {
      if (slices.length === 0) return;
      const blob = new Blob(slices);
      slices.length = 0;
      size = 0;
      await tx.query(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from '/dev/blob'`, [], { blob });
    };
    for await (const chunk of countLines(chunks, (n) => (rows += n))) {
      slices.push(chunk);
      size += chunk.length;
      if (size > 16 * 1024 * 1024) await flush();
    }
    await flush();
  });
  return rows;
}

async function* countLines(chunks: CopyChunks, add: (n: number) => void): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    let n = 0;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n += 1;
    add(n);
    yield chunk;
  }
}
