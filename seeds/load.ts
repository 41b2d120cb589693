import { sql } from 'kysely';
import type { SourceConnection } from '../src/sources/connection.js';
import { copyChunks } from './copy-format.js';

/**
 * Loads generated rows into one table with COPY, in one transaction, then moves the id
 * sequence past the explicit ids the generator chose.
 */
export async function loadTable(
  source: SourceConnection,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
): Promise<number> {
  const count = await source.copy(table, columns, copyChunks(rows));
  if (columns.includes('id')) {
    await sql`select setval(pg_get_serial_sequence(${`${source.schema}.${table}`}, 'id'), greatest(coalesce((select max(id) from ${sql.id(source.schema, table)}), 0), 1))`.execute(source.root);
  }
  return count;
}

/** Empties a source's tables before a new seed run (children first). */
export async function truncateTables(source: SourceConnection, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await sql`truncate ${sql.join(tables.map((t) => sql.id(source.schema, t)))} restart identity cascade`.execute(source.root);
}
