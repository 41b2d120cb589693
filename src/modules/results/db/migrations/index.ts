import type { Migration } from 'kysely';
import { init } from './0001_init.js';

/** Ordered by name; applied ones are recorded in `results.kysely_migration`. */
export const migrations: Record<string, Migration> = {
  '0001_init': init,
};
