import type { Connections } from '../platform/db/connection.js';
import { countedOn, type QueryStats } from '../platform/db/query-stats.js';
import type { Repositories } from './context.js';
import { MODULES } from './index.js';

export type { Repositories } from './context.js';

/**
 * Every source's repositories: the only door from the gateway to the databases. Each works on
 * its own source's connection; nothing here joins across sources.
 */
export function createRepositories(connections: Connections): Repositories {
  const { sources } = connections;
  return Object.fromEntries(MODULES.map((m) => [m.name, m.repositories(sources[m.name].db)])) as Repositories;
}

/** One request's state behind its repositories' getters. */
interface CountedState {
  connections: Connections;
  stats: QueryStats;
  built: Partial<Record<(typeof MODULES)[number]['name'], unknown>>;
}

const STATE = Symbol('repositories');
type LazyRepositories = { [STATE]: CountedState };

/** One getter per source, defined once for every request (not seven defineProperty calls per request). */
const PROTOTYPE: object = Object.create(null);
for (const m of MODULES) {
  Object.defineProperty(PROTOTYPE, m.name, {
    enumerable: true,
    get(this: LazyRepositories) {
      const state = this[STATE];
      return (state.built[m.name] ??= m.repositories(countedOn(state.connections.sources[m.name].db, m.name, state.stats)));
    },
  });
}

/**
 * One request's repositories: the same, on Kysely instances that count the request's statements
 * on its QueryStats. Built per source on first use (most requests touch two or three sources).
 */
export function countedRepositories(connections: Connections, stats: QueryStats): Repositories {
  const repos = Object.create(PROTOTYPE) as LazyRepositories;
  repos[STATE] = { connections, stats, built: {} };
  return repos as unknown as Repositories;
}
