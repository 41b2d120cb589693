import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { SourceName } from '../../modules/index.js';
import type { SourceEvents } from './source-events.js';

/** Which server answered a statement: the source's primary or its read replica. */
export type StatementTarget = 'primary' | 'replica';

/** SQL statements issued while serving one request, by source. */
export class QueryStats {
  readonly bySource: Partial<Record<SourceName, number>> = {};
  /** Sources with a read replica only: where their statements went (read-replica.ts). */
  readonly byTarget: Partial<Record<SourceName, Record<StatementTarget, number>>> = {};
  total = 0;

  record(source: SourceName, target?: StatementTarget): void {
    this.bySource[source] = (this.bySource[source] ?? 0) + 1;
    this.total += 1;
    if (target) {
      const counts = (this.byTarget[source] ??= { primary: 0, replica: 0 });
      counts[target] += 1;
    }
  }
}

/** The routing driver notes where each statement ran; the counter below reads it (keyed by query id). */
const targets = new WeakMap<object, StatementTarget>();

export function noteTarget(queryId: object, target: StatementTarget): void {
  targets.set(queryId, target);
}

const storage = new AsyncLocalStorage<QueryStats>();

/** Runs `fn` with a fresh statement counter that every query issued inside it adds to. */
export function withQueryStats<T>(stats: QueryStats, fn: () => T): T {
  return storage.run(stats, fn);
}

export function currentQueryStats(): QueryStats | undefined {
  return storage.getStore();
}

/**
 * Counts statements per source as their results come back, so every statement of every
 * repository is seen without touching the repositories: on the request's QueryStats, and to the
 * connections' events (metrics, `connections.events.onStatement`). (Not at transformQuery:
 * Kysely also calls that for query builders embedded in raw SQL, which would count twice.)
 */
export class StatementCounterPlugin implements KyselyPlugin {
  private readonly started = new WeakMap<object, number>();

  constructor(
    private readonly source: SourceName,
    private readonly events: SourceEvents,
  ) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, performance.now());
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const target = targets.get(args.queryId);
    storage.getStore()?.record(this.source, target);
    const started = this.started.get(args.queryId);
    const seconds = started === undefined ? 0 : (performance.now() - started) / 1000;
    // Sources without a replica note nothing: all their statements ran on the primary.
    this.events.statement(this.source, seconds, target ?? 'primary');
    return args.result;
  }
}
