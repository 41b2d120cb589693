import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import type { SourceName } from './source-names.js';

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

export function isUnavailable(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  if (!candidate) return false;
  if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
  return typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message);
}

function translate(source: SourceName, error: unknown): unknown {
  return isUnavailable(error) ? new SourceUnavailableError(source, error) : error;
}

class SourceConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly source: SourceName,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw translate(this.source, error);
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
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      const connection = await this.inner.acquireConnection();
      const wrapper = new SourceConnection(connection, this.source);
      this.wrapped.set(wrapper, connection);
      return wrapper;
    } catch (error) {
      throw translate(this.source, error);
    }
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.wrapped.get(connection) ?? connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(this.unwrap(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(this.unwrap(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(this.unwrap(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(this.unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** Wraps a dialect so that its failures to reach the database name the source. */
export class SourceDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly source: SourceName,
  ) {}

  createAdapter() {
    return this.inner.createAdapter();
  }

  createDriver(): Driver {
    return new SourceDriver(this.inner.createDriver(), this.source);
  }

  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Dialect's own signature
  createIntrospector(db: Kysely<any>) {
    return this.inner.createIntrospector(db);
  }
}
