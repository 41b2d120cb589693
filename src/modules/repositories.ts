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

/**
 * One request's repositories: the same, on Kysely instances that count the request's statements
 * on its QueryStats. Built per source on first use (most requests touch two or three sources).
 */
export function countedRepositories(connections: Connections, stats: QueryStats): Repositories {
  const { sources } = connections;
  const repos = {} as Repositories;
  for (const m of MODULES) {
    let built: unknown;
    Object.defineProperty(repos, m.name, {
      enumerable: true,
      get: () => (built ??= m.repositories(countedOn(sources[m.name].db, m.name, stats))),
    });
  }
  return repos;
}
