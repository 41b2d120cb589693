import type { Connections } from '../platform/db/connection.js';
import { MODULES, type Repositories } from './index.js';

export type { Repositories } from './index.js';

/**
 * Every source's repositories: the only door from the gateway to the databases. Each works on
 * its own source's connection; nothing here joins across sources.
 */
export function createRepositories(connections: Connections): Repositories {
  const { sources } = connections;
  return Object.fromEntries(MODULES.map((m) => [m.name, m.repositories(sources[m.name].db)])) as Repositories;
}
