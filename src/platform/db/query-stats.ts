import { createQueryId, type CompiledQuery, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { SourceName } from './source-names.js';
import type { SourceEvents, StatementTarget } from './source-events.js';

export type { StatementTarget } from './source-events.js';

/**
 * SQL statements issued while serving one request, by source. The request's context holds it,
 * and the request's repositories count on it through their Kysely instances (`countedOn`): no
 * AsyncLocalStorage, whose promise hooks cost every await of every request.
 */
export class QueryStats {
  readonly bySource: Partial<Record<SourceName, number>> = {};
  /** Sources with a read replica only: where their statements went (read-replica.ts). */
  readonly byTarget: Partial<Record<SourceName, Record<StatementTarget, number>>> = {};
  total = 0;
  private readonly pending: Array<Promise<unknown>> = [];

  record(source: SourceName, target?: StatementTarget): void {
    this.bySource[source] = (this.bySource[source] ?? 0) + 1;
    this.total += 1;
    if (target) {
      const counts = (this.byTarget[source] ??= { primary: 0, replica: 0 });
      counts[target] += 1;
    }
  }

  /** Work that still adds statements once the data is resolved (the access log's write): `settled()` waits for it. */
  include(work: Promise<unknown>): void {
    this.pending.push(work.catch(() => undefined));
  }

  /** Resolves when every included piece of work has finished (failed work counts what it ran). */
  async settled(): Promise<void> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
  }
}

/** The routing driver notes where each statement ran; the counters below read it (keyed by query id). */
const targets = new WeakMap<object, StatementTarget>();

export function noteTarget(queryId: object, target: StatementTarget): void {
  targets.set(queryId, target);
}

/** Counts one source's statements on one QueryStats, as their results come back (see StatementCounterPlugin). */
class CountOnPlugin implements KyselyPlugin {
  constructor(
    private readonly source: SourceName,
    private readonly stats: QueryStats,
  ) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.stats.record(this.source, targets.get(args.queryId));
    return args.result;
  }
}

/** The source's Kysely instance counting its statements on `stats` (a request's, or a test's). */
export function countedOn<DB>(db: Kysely<DB>, source: SourceName, stats: QueryStats): Kysely<DB> {
  return db.withPlugin(new CountOnPlugin(source, stats));
}

const started = new WeakMap<object, { at: number; node: RootOperationNode }>();

/** A statement sent from an already compiled query: its start and node, as transformQuery notes them for the others. */
export function noteBuilt(queryId: object, node: RootOperationNode): void {
  started.set(queryId, { at: performance.now(), node });
}

/**
 * Sends a statement compiled once (its shape built and compiled by Kysely a single time) with
 * this call's parameters, through the source's executor: the request's counter, the connections'
 * events (with the node, for tracing) and read-replica routing see it as any other statement.
 * The query plugins' transformQuery is not run again (the schema plugin's work is in the text).
 */
export function sendCompiled<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  template: CompiledQuery,
  parameters: readonly unknown[],
): Promise<QueryResult<Row>> {
  const queryId = createQueryId();
  noteBuilt(queryId, template.query);
  return db.getExecutor().executeQuery<Row>({ sql: template.sql, parameters, query: template.query, queryId });
}

/**
 * Tells the connections' events (metrics, `connections.events.onStatement`) of every statement of
 * every caller, with its duration, as its result comes back. (Told at transformResult, not at
 * transformQuery: Kysely also calls that for query builders embedded in raw SQL, which would
 * count twice.)
 */
export class StatementCounterPlugin implements KyselyPlugin {
  // The node is kept for the listeners that want the statement's text (tracing compiles it, with
  // placeholders, only when it is on); keeping the reference costs nothing more. Module-wide
  // (query ids are unique): statements compiled once and sent again (by-keys.ts) note theirs with
  // `noteBuilt`, since Kysely calls transformQuery only when it compiles.
  private readonly started = started;

  constructor(
    private readonly source: SourceName,
    private readonly events: SourceEvents,
  ) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, { at: performance.now(), node: args.node });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const target = targets.get(args.queryId);
    const started = this.started.get(args.queryId);
    const seconds = started === undefined ? 0 : (performance.now() - started.at) / 1000;
    // Sources without a replica note nothing: all their statements ran on the primary.
    this.events.statement(this.source, seconds, target ?? 'primary', started?.node);
    return args.result;
  }
}
