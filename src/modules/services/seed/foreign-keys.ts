import { sql } from 'kysely';
import type { SourceConnection } from '../../../platform/db/connection.js';

/**
 * Runs a bulk load with the given tables' foreign keys dropped, then adds them back. COPY checks
 * a foreign key row by row (millions of lookups); adding it back checks all rows in one join.
 */
export async function withoutForeignKeys<T>(source: SourceConnection, tables: readonly string[], load: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{ table: string; name: string; definition: string }>`
    select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_class t on t.oid = c.conrelid
    where c.contype = 'f' and c.connamespace = ${source.schema}::regnamespace and t.relname = any(${[...tables]}::text[])
    order by c.conname`.execute(source.root);
  for (const fk of rows) await sql`alter table ${sql.raw(fk.table)} drop constraint ${sql.id(fk.name)}`.execute(source.root);
  try {
    return await load();
  } finally {
    for (const fk of rows) await sql`alter table ${sql.raw(fk.table)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(source.root);
  }
}
