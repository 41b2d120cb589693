import { SelectQueryNode, type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type Kysely, type OperationNode, type QueryResult, type RootOperationNode, type TransactionSettings } from 'kysely';
import type pg from 'pg';
import { noteTarget } from './query-stats.js';
import { isUnavailable, reasonOf } from './source-errors.js';
import type { SourceName } from './source-names.js';

/**
 * Read replicas per source (<SOURCE>_READ_DATABASE_URL, DATABASE_READ_URL).
 *
 * The rule: a statement goes to the replica when it is a query-builder SELECT (no FOR UPDATE /
 * FOR SHARE, no CTE that writes), outside a transaction, on a connection that has not yet run
 * anything on the primary, while the replica is up. Everything else — writes, raw SQL (which
 * may call functions that write or lock), transactions (the access log's append locks the
 * chain head), and sessions that already touched the primary (read-your-writes) — stays on the
 * primary. Migrations and seeds open no replica at all (maintenance connections).
 *
 * A replica statement that fails falls back to the primary for that statement; if the failure
 * means the replica is not there, the replica is marked down and skipped until a check finds it
 * healthy again. A periodic check (and each /readyz) also marks it lagging when it replays
 * further behind the primary than READ_REPLICA_MAX_LAG_MS.
 */

export type ReplicaStatus = 'up' | 'lagging' | 'down';

export interface ReplicaHealth {
  status: ReplicaStatus;
  /** How far behind the primary the replica replays, when it is known. */
  lagMs?: number;
  reason?: string;
}

/** How often a replica's health is sampled in the background. */
const CHECK_EVERY_MS = 1_000;

/**
 * An idle primary writes no transactions, so the last replayed one gets old while the replica
 * is fully caught up: a replica that has replayed all it received, and still receives, is not
 * behind whatever the age of its last transaction.
 */
const LAG_SQL = `select pg_is_in_recovery() as recovery,
  coalesce(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false) as replayed_all,
  (select status from pg_stat_wal_receiver limit 1) as receiver,
  (extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::float8 as replay_age_ms`;

interface LagRow {
  recovery: boolean;
  replayed_all: boolean;
  receiver: string | null;
  replay_age_ms: number | null;
}

export class ReadReplica {
  private health: ReplicaHealth = { status: 'up' };
  private readonly listeners = new Set<(health: ReplicaHealth) => void>();
  private timer?: NodeJS.Timeout;
  private checking?: Promise<ReplicaHealth>;

  constructor(
    readonly source: SourceName,
    readonly pool: pg.Pool,
    /** Where the replica is, for /readyz (password redacted). */
    readonly describe: string,
    private readonly maxLagMs: number,
  ) {}

  /** Whether reads may go to the replica now. */
  get usable(): boolean {
    return this.health.status === 'up';
  }

  get status(): ReplicaHealth {
    return this.health;
  }

  /** A statement on the replica failed because the replica is not there. */
  markDown(error: unknown): void {
    this.set({ status: 'down', reason: reasonOf(error) });
  }

  /** Called once per change of status (operators are told of changes, not of every statement). */
  onChange(listener: (health: ReplicaHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: ReplicaHealth): void {
    const changed = next.status !== this.health.status;
    this.health = next;
    if (changed) for (const listener of this.listeners) listener(next);
  }

  /** Samples the replica now (one at a time) and updates its status. */
  check(): Promise<ReplicaHealth> {
    this.checking ??= this.sample().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async sample(): Promise<ReplicaHealth> {
    try {
      const { rows } = await this.pool.query<LagRow>(LAG_SQL);
      const row = rows[0]!;
      // Not in recovery: a server of its own (promoted), which has everything it received.
      if (!row.recovery || (row.replayed_all && row.receiver === 'streaming')) this.set({ status: 'up', lagMs: 0 });
      else {
        const lagMs = row.replay_age_ms === null ? undefined : Math.max(0, Math.round(row.replay_age_ms));
        // Not replayed all, or cut off from its primary: behind by the age of its last replayed transaction.
        if (lagMs !== undefined && lagMs <= this.maxLagMs) this.set({ status: 'up', lagMs });
        else this.set({ status: 'lagging', lagMs, reason: row.receiver === 'streaming' ? 'replaying behind the primary' : 'not streaming from the primary' });
      }
    } catch (error) {
      this.set({ status: 'down', reason: reasonOf(error) });
    }
    return this.health;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), CHECK_EVERY_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The read-only rule above, on the statement's syntax tree. */
export function isReadOnly(node: RootOperationNode | OperationNode): boolean {
  if (!SelectQueryNode.is(node)) return false;
  if (node.endModifiers?.some((modifier) => modifier.modifier !== undefined && modifier.modifier.startsWith('For'))) return false;
  // `with x as (insert … returning …) select …` writes.
  return (node.with?.expressions ?? []).every((cte) => isReadOnly(cte.expression));
}

/** A connection that picks the server per statement: the replica for reads, else the primary (kept for the session). */
class RoutingConnection implements DatabaseConnection {
  inTransaction = false;
  private primaryConnection?: Promise<DatabaseConnection>;

  constructor(private readonly driver: RoutingDriver) {}

  /** The primary connection once taken (to release it). */
  get taken(): Promise<DatabaseConnection> | undefined {
    return this.primaryConnection;
  }

  primary(): Promise<DatabaseConnection> {
    this.primaryConnection ??= this.driver.primary.acquireConnection();
    // A failed acquire is not kept: the next statement tries again.
    this.primaryConnection.catch(() => (this.primaryConnection = undefined));
    return this.primaryConnection;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { replica } = this.driver;
    if (!this.primaryConnection && !this.inTransaction && replica.usable && isReadOnly(query.query)) {
      try {
        const result = await this.driver.onReplica<R>(query);
        noteTarget(query.queryId, 'replica');
        return result;
      } catch (error) {
        // Any failure falls back (a table not yet replayed, a recovery conflict); only "not there" marks it down.
        if (isUnavailable(error)) replica.markDown(error);
      }
    }
    const result = await (await this.primary()).executeQuery<R>(query);
    noteTarget(query.queryId, 'primary');
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    // Streams are long and rare: the primary, so that a replica going away mid-stream cannot cut one.
    noteTarget(query.queryId, 'primary');
    yield* (await this.primary()).streamQuery<R>(query, chunkSize);
  }
}

class RoutingDriver implements Driver {
  constructor(
    readonly primary: Driver,
    private readonly replicaDriver: Driver,
    readonly replica: ReadReplica,
  ) {}

  async init(): Promise<void> {
    await Promise.all([this.primary.init(), this.replicaDriver.init()]);
    this.replica.start();
  }

  /** No server is taken yet: the first statement decides (see RoutingConnection). */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this);
  }

  async onReplica<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const connection = await this.replicaDriver.acquireConnection();
    try {
      return await connection.executeQuery<R>(query);
    } finally {
      await this.replicaDriver.releaseConnection(connection);
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const routing = connection as RoutingConnection;
    routing.inTransaction = true;
    await this.primary.beginTransaction(await routing.primary(), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const routing = connection as RoutingConnection;
    try {
      await this.primary.commitTransaction(await routing.primary());
    } finally {
      routing.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const routing = connection as RoutingConnection;
    try {
      await this.primary.rollbackTransaction(await routing.primary());
    } finally {
      routing.inTransaction = false;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const taken = (connection as RoutingConnection).taken;
    if (!taken) return;
    const inner = await taken.catch(() => undefined);
    if (inner) await this.primary.releaseConnection(inner);
  }

  async destroy(): Promise<void> {
    this.replica.stop();
    // The primary's pool is shared with the source's `root`, which ends it.
    await this.replicaDriver.destroy();
  }
}

/** A source's dialect with a read replica: `primary` is the source's own (SourceDialect), `replica` a plain one. */
export class ReadRoutingDialect implements Dialect {
  constructor(
    private readonly primary: Dialect,
    private readonly replicaDialect: Dialect,
    private readonly replica: ReadReplica,
  ) {}

  createAdapter() {
    return this.primary.createAdapter();
  }

  createDriver(): Driver {
    return new RoutingDriver(this.primary.createDriver(), this.replicaDialect.createDriver(), this.replica);
  }

  createQueryCompiler() {
    return this.primary.createQueryCompiler();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Dialect's own signature
  createIntrospector(db: Kysely<any>) {
    return this.primary.createIntrospector(db);
  }
}
