import type { Migration } from 'kysely';
import { init } from './0001_init.js';
import { vietnameseOrder } from './0002_vietnamese_order.js';

/** Ordered by name; applied ones are recorded in `opendata.kysely_migration`. */
export const migrations: Record<string, Migration> = {
  '0001_init': init,
  '0002_vietnamese_order': vietnameseOrder,
};
