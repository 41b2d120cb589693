import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AccessLogConfig, SourceConfig } from '../../../config.js';
import type { Checkpoint } from '../../../modules/audit/db/index.js';
import type { AuditDatabase } from '../../../modules/audit/db/tables.js';
import { SigningKeyMismatchError, TreeIntegrator, type IntegrationResult } from '../../../modules/audit/db/integrator.js';
import type { NoteSigner } from '../../../modules/audit/db/note.js';
import type { Witness } from '../../../modules/audit/db/witness.js';
import type { SourceConnection } from '../../../platform/db/connection.js';
import { VALUE_PARSERS } from '../../../platform/db/type-parsers.js';
import type { Logger } from '../../logger.js';

/** The advisory lock of the integrator's lease: one holder per audit database. */
export const INTEGRATOR_LOCK = 'city-data-gateway access-log integrator';

const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return VALUE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * The lease on a PostgreSQL audit source: a session-level advisory lock held on a connection of
 * its own. It lasts as long as that session: when the holder dies (killed, crashed, cut off),
 * the server ends the session, the lock goes with it, and another replica takes it at its next
 * try. The holder integrates on that same session, so a holder that lost its lease cannot write
 * a batch any more (its transaction dies with the session).
 */
class PostgresLease {
  private client: pg.Client | undefined;
  private db_: Kysely<AuditDatabase> | undefined;
  private lost = false;

  constructor(
    private readonly url: string,
    private readonly settings: SourceConfig,
  ) {}

  get held(): boolean {
    return this.db_ !== undefined && !this.lost;
  }

  get db(): Kysely<AuditDatabase> {
    if (!this.db_) throw new Error('the integrator lease is not held');
    return this.db_;
  }

  /** True when this process holds the lease (now or already). */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    await this.release();
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.settings.connectTimeoutMs,
      statement_timeout: Math.max(this.settings.statementTimeoutMs, 10_000),
      keepAlive: true,
      types: TYPES,
      application_name: 'access-log integrator',
    });
    client.on('error', () => {
      this.lost = true;
    });
    client.on('end', () => {
      this.lost = true;
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ held: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as held', [INTEGRATOR_LOCK]);
      if (!rows[0]?.held) {
        await client.end().catch(() => undefined);
        return false;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.lost = false;
    // One session, so that the lock and the integrator's transactions live and die together.
    const session = { query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args), release: () => undefined };
    const pool = { connect: async () => session, end: async () => undefined };
    this.db_ = new Kysely<AuditDatabase>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) }).withSchema('audit');
    return true;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.db_ = undefined;
    if (!client) return;
    if (!this.lost) await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [INTEGRATOR_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

export interface IntegratorServiceOptions {
  signer: NoteSigner;
  audit: SourceConnection;
  /** The audit source's settings (its URL when on a server). */
  source: SourceConfig;
  config: AccessLogConfig;
  logger: Logger;
  witness?: Witness;
  /** How often a replica without the lease tries to take it (default 1 s). */
  leaseRetryMs?: number;
  /** Told of every batch integrated (metrics, tests). */
  onIntegrated?: (result: IntegrationResult) => void;
}

/**
 * The access log's integrator, in every gateway: the one that holds the lease (on the embedded
 * database, the gateway itself) takes the pending entries into the tree every
 * ACCESS_LOG_INTEGRATE_MS and signs a checkpoint per batch; it sends the latest checkpoint to the
 * witness at least every ACCESS_LOG_CHECKPOINT_SECONDS. The others try to take the lease every
 * second, so one of them goes on within about a second of the holder's death.
 */
export class IntegratorService {
  private readonly integrator: TreeIntegrator;
  private readonly lease: PostgresLease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private leader = false;
  private nextLeaseTry = 0;
  private witnessed = -1;
  private witnessedAt = 0;
  private witnessFailing = false;
  private failing = false;
  latest: Checkpoint | undefined;

  constructor(private readonly options: IntegratorServiceOptions) {
    // After a key rotation the tree the previous key signed goes on (ACCESS_LOG_TRUSTED_KEYS: `<name>+<id>+<key>`).
    const previousKeys = options.config.trustedKeys.map((key) => key.split('+').slice(0, 2).join('+'));
    this.integrator = new TreeIntegrator(options.signer, { previousKeys });
    this.lease = options.audit.embedded ? undefined : new PostgresLease(options.source.url!, options.source);
  }

  /** Whether this process integrates now. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Runs a first round (the embedded gateway signs its tree before it serves), then one every ACCESS_LOG_INTEGRATE_MS. */
  async start(): Promise<void> {
    await this.round();
    this.schedule();
  }

  /** Runs a round now (tests: integrate what is pending without waiting for the timer). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.round();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.round().finally(() => this.schedule());
    }, this.options.config.integrateMs);
    this.timer.unref();
  }

  private round(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async work(): Promise<void> {
    const { logger } = this.options;
    const db = await this.acquire();
    if (!db) return;
    try {
      let result: IntegrationResult;
      do {
        result = await this.integrator.integrate(db);
        if (result.checkpoint) this.latest = result.checkpoint;
        if (result.added > 0 || result.checkpoint) this.options.onIntegrated?.(result);
      } while (result.more && !this.stopped);
      if (this.failing) logger.info('access log integration works again');
      this.failing = false;
      await this.witness();
    } catch (error) {
      if (!this.failing) logger.error({ err: error }, 'access log integration failed; entries stay pending (durable) and are retried');
      this.failing = true;
      if (this.lease && !this.lease.held) this.demote('its session ended');
      // A replica with another key leaves the lease to one configured like the log.
      else if (this.lease && error instanceof SigningKeyMismatchError) this.demote('its signing key is not the log\'s');
    }
  }

  private async acquire(): Promise<Kysely<AuditDatabase> | undefined> {
    if (!this.lease) {
      this.leader = true;
      return this.options.audit.db as Kysely<AuditDatabase>;
    }
    if (this.lease.held) return this.lease.db;
    if (this.leader) this.demote('its session ended');
    if (Date.now() < this.nextLeaseTry) return undefined;
    this.nextLeaseTry = Date.now() + (this.options.leaseRetryMs ?? 1_000);
    try {
      if (!(await this.lease.tryAcquire())) return undefined;
    } catch {
      // The audit source is down: the requests' writes report it; the lease is tried again later.
      return undefined;
    }
    this.leader = true;
    this.integrator.reset();
    this.options.logger.info({ pid: process.pid }, 'access log integrator: this replica holds the lease and integrates');
    return this.lease.db;
  }

  private demote(why: string): void {
    this.leader = false;
    this.integrator.reset();
    this.options.logger.warn(`access log integrator: lease lost (${why}); another replica takes over`);
    void this.lease?.release();
  }

  /** Sends the latest checkpoint to the witness, at least every ACCESS_LOG_CHECKPOINT_SECONDS. */
  private async witness(): Promise<void> {
    const { witness, logger, config } = this.options;
    const latest = this.latest;
    if (!witness || !latest) return;
    if (latest.treeSize <= this.witnessed) return;
    if (this.witnessed >= 0 && Date.now() - this.witnessedAt < config.checkpointSeconds * 1_000) return;
    try {
      const outcome = await witness.write({ treeSize: latest.treeSize, note: latest.note });
      if (outcome === 'contradicted') logger.error({ treeSize: latest.treeSize, witness: witness.describe }, 'the access-log witness holds another checkpoint of this tree size: the log or the witness was rewritten');
      this.witnessed = latest.treeSize;
      this.witnessedAt = Date.now();
      if (this.witnessFailing) logger.info({ witness: witness.describe }, 'the access-log witness is written again');
      this.witnessFailing = false;
    } catch (error) {
      if (!this.witnessFailing) logger.warn({ err: error, witness: witness.describe }, 'the access-log witness cannot be written; retried');
      this.witnessFailing = true;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.running) await this.running;
    await this.lease?.release();
    this.leader = false;
  }
}
