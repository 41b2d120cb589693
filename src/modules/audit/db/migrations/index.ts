import type { Migration } from 'kysely';
import { init } from './0001_init.js';
import { foundBy } from './0002_found_by.js';
import { merkleTree } from './0003_merkle_tree.js';
import { foundByLists } from './0004_found_by_lists.js';

/** Ordered by name; applied ones are recorded in `audit.kysely_migration`. */
export const migrations: Record<string, Migration> = {
  '0001_init': init,
  '0002_found_by': foundBy,
  '0003_merkle_tree': merkleTree,
  '0004_found_by_lists': foundByLists,
};
