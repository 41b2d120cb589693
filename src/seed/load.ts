import { sql } from 'kysely';
import type { SourceConnection } from '../platform/db/connection.js';
import { copyChunks } from './copy-format.js';

export interface LoadOptions {
  /**
   * Drop the table's secondary indexes during the load and build them afterwards: much faster
   * for large tables than maintaining them row by row. Constraint indexes (primary key, unique)
   * stay.
   */
  rebuildIndexes?: boolean;
}

/**
 * Loads generated rows into one table with COPY, in one transaction, then moves the id
 * sequence past the explicit ids the generator chose.
 */
export async function loadTable(
  source: SourceConnection,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  options: LoadOptions = {},
): Promise<number> {
  const indexes = options.rebuildIndexes ? await dropSecondaryIndexes(source, table) : [];
  let count: number;
  try {
    count = await source.copy(table, columns, copyChunks(rows));
  } finally {
    // Rebuilt even when the load failed: a table must never be left without its indexes.
    for (const definition of indexes) await sql.raw(definition).execute(source.root);
  }
  if (columns.includes('id')) {
    await sql`select setval(pg_get_serial_sequence(${`${source.schema}.${table}`}, 'id'), greatest(coalesce((select max(id) from ${sql.id(source.schema, table)}), 0), 1))`.execute(source.root);
  }
  if (indexes.length) await sql`analyze ${sql.id(source.schema, table)}`.execute(source.root);
  return count;
}

async function dropSecondaryIndexes(source: SourceConnection, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = ${source.schema} and i.tablename = ${table}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = ${source.schema}::regnamespace)`.execute(source.root);
  for (const { name } of rows) await sql`drop index ${sql.id(source.schema, name)}`.execute(source.root);
  return rows.map((r) => r.definition);
}

/** Empties a source's tables before a new seed run (children first). */
export async function truncateTables(source: SourceConnection, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await sql`truncate ${sql.join(tables.map((t) => sql.id(source.schema, t)))} restart identity cascade`.execute(source.root);
}
