import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { SourceName } from './source-names.js';

/** SQL statements issued while serving one request, by source. */
export class QueryStats {
  readonly bySource: Partial<Record<SourceName, number>> = {};
  total = 0;

  record(source: SourceName): void {
    this.bySource[source] = (this.bySource[source] ?? 0) + 1;
    this.total += 1;
  }
}

const storage = new AsyncLocalStorage<QueryStats>();

/** Runs `fn` with a fresh statement counter that every query issued inside it adds to. */
export function withQueryStats<T>(stats: QueryStats, fn: () => T): T {
  return storage.run(stats, fn);
}

export function currentQueryStats(): QueryStats | undefined {
  return storage.getStore();
}

type Listener = (source: SourceName, seconds: number) => void;
const listeners = new Set<Listener>();

/** Process-wide hook (metrics) called once per statement, with its duration. */
export function onStatement(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Counts statements per source as their results come back, so every statement of every
 * repository is seen without touching the repositories. (Not at transformQuery: Kysely also
 * calls that for query builders embedded in raw SQL, which would count a statement twice.)
 */
export class StatementCounterPlugin implements KyselyPlugin {
  private readonly started = new WeakMap<object, number>();

  constructor(private readonly source: SourceName) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, performance.now());
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    storage.getStore()?.record(this.source);
    const started = this.started.get(args.queryId);
    const seconds = started === undefined ? 0 : (performance.now() - started) / 1000;
    for (const listener of listeners) listener(this.source, seconds);
    return args.result;
  }
}
