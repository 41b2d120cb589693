import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import type { SourceName } from '../../modules/index.js';
import type { SourceEvents } from './source-events.js';

/** A source that cannot answer now (down, refusing connections, or too slow). */
export class SourceUnavailableError extends Error {
  constructor(
    readonly source: SourceName,
    cause: unknown,
  ) {
    super(`The ${source} source is unavailable`, { cause });
  }
}

/** PostgreSQL and network failures that mean "the source is not there", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '57014', // query cancelled: the statement timeout
  '53300', // too many connections
  '3D000', // the database does not exist (dropped or not yet created)
]);
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not currently accepting connections|Client has encountered a connection error/i;

export type { SourceState, SourceStateWatch } from './source-events.js';

/** The driver's own words for a failure (e.g. `connect ECONNREFUSED 127.0.0.1:5999`), without a stack. */
export function reasonOf(error: unknown): string {
  const inner = error instanceof SourceUnavailableError ? error.cause : error;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    const message = inner.message || (inner instanceof AggregateError ? inner.errors.map((e: unknown) => reasonOf(e)).join('; ') : '');
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message || String(code ?? inner.name);
  }
  return String(inner);
}

export function isUnavailable(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  if (!candidate) return false;
  if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
  return typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message);
}

function translate(source: SourceName, events: SourceEvents, error: unknown): unknown {
  if (!isUnavailable(error)) return error;
  events.observe(source, 'down', error);
  return new SourceUnavailableError(source, error);
}

class SourceConnection implements DatabaseConnection {
  /**
   * Inside a transaction a statement that answers shows little: the next one may still time out
   * on a lock (an access log held by another client). Only the commit then tells that the source
   * works; otherwise every batch written to a locked log would report the source up, then down.
   */
  inTransaction = false;

  constructor(
    private readonly inner: DatabaseConnection,
    private readonly source: SourceName,
    private readonly events: SourceEvents,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const startedAt = performance.now();
    try {
      const result = await this.inner.executeQuery<R>(query);
      if (!this.inTransaction && this.events.watched) this.events.observe(this.source, 'up', undefined, startedAt);
      return result;
    } catch (error) {
      throw translate(this.source, this.events, error);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class SourceDriver implements Driver {
  /** Our wrapper → the driver's own connection, which the driver expects back. */
  private readonly wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly source: SourceName,
    private readonly events: SourceEvents,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      const connection = await this.inner.acquireConnection();
      const wrapper = new SourceConnection(connection, this.source, this.events);
      this.wrapped.set(wrapper, connection);
      return wrapper;
    } catch (error) {
      throw translate(this.source, this.events, error);
    }
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.wrapped.get(connection) ?? connection;
  }

  private transactionStart = new WeakMap<DatabaseConnection, number>();

  // Kysely's own statements (begin, commit) go to the driver's connection: translated here too.
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (connection instanceof SourceConnection) connection.inTransaction = true;
    this.transactionStart.set(connection, performance.now());
    try {
      await this.inner.beginTransaction(this.unwrap(connection), settings);
    } catch (error) {
      throw translate(this.source, this.events, error);
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.commitTransaction(this.unwrap(connection));
      if (this.events.watched) this.events.observe(this.source, 'up', undefined, this.transactionStart.get(connection));
    } catch (error) {
      throw translate(this.source, this.events, error);
    } finally {
      if (connection instanceof SourceConnection) connection.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction(this.unwrap(connection));
    } catch (error) {
      throw translate(this.source, this.events, error);
    } finally {
      if (connection instanceof SourceConnection) connection.inTransaction = false;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(this.unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** Wraps a dialect so that its failures to reach the database name the source, told to the connections' events. */
export class SourceDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly source: SourceName,
    private readonly events: SourceEvents,
  ) {}

  createAdapter() {
    return this.inner.createAdapter();
  }

  createDriver(): Driver {
    return new SourceDriver(this.inner.createDriver(), this.source, this.events);
  }

  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Dialect's own signature
  createIntrospector(db: Kysely<any>) {
    return this.inner.createIntrospector(db);
  }
}
