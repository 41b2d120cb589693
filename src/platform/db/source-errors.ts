import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import type { SourceName } from './source-names.js';
import type { SourceEvents } from './source-events.js';
import { isUnavailable, SourceUnavailableError } from './unavailable.js';

// What "unavailable" means lives in a leaf (source-events.ts needs reasonOf, and this file its SourceEvents).
export { isUnavailable, reasonOf, SourceUnavailableError } from './unavailable.js';
export type { SourceState, SourceStateWatch } from './source-events.js';

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
    /** The driver's own connection, which the driver expects back. */
    readonly inner: DatabaseConnection,
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
  /**
   * The driver's connection → our wrapper, made once per connection (the pg driver keeps one per
   * pooled client): not an object and a map entry per statement.
   */
  private readonly wrappers = new WeakMap<DatabaseConnection, SourceConnection>();

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
      let wrapper = this.wrappers.get(connection);
      if (!wrapper) this.wrappers.set(connection, (wrapper = new SourceConnection(connection, this.source, this.events)));
      return wrapper;
    } catch (error) {
      throw translate(this.source, this.events, error);
    }
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return connection instanceof SourceConnection ? connection.inner : connection;
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
    // The wrapper is reused by the connection's next user: nothing of this one's may stay.
    if (connection instanceof SourceConnection) connection.inTransaction = false;
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
