import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Search without diacritics: `fold(text)` lower-cases and strips accents ("Nguyễn Văn Quảng Đà
 * Nẵng" → "nguyen van quang da nang"; unaccent maps đ too). unaccent() is not immutable, so each
 * source gets an immutable wrapper naming the dictionary, which trigram indexes can use.
 */
export async function createFoldFunction(db: Kysely<unknown>, schema: string): Promise<void> {
  await sql`create or replace function ${sql.id(schema, 'fold')}(text) returns text
    language sql immutable strict parallel safe
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);
}

/** Creates the extensions search needs, once per database (they are per database, not per schema). */
export async function createSearchExtensions(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent with schema public`.execute(db);
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
}

/** A trigram index on the folded text of a column: serves `foldedContains` on it. */
export async function createFoldIndex(db: Kysely<unknown>, schema: string, table: string, column: string): Promise<void> {
  await sql`create index if not exists ${sql.id(`${table}_${column}_fold_trgm`)}
    on ${sql.id(schema, table)} using gin (${sql.id(schema, 'fold')}(${sql.id(column)}) gin_trgm_ops)`.execute(db);
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `column` contains every word of `term`, in any order, ignoring case and diacritics
 * ("quang nguyen" finds "Nguyễn Văn Quảng"). Each word is a LIKE the trigram index serves.
 */
export function foldedContains(schema: string, column: RawBuilder<unknown>, term: string): RawBuilder<boolean> {
  const words = term.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return sql<boolean>`true`;
  const fold = sql.id(schema, 'fold');
  return sql<boolean>`(${sql.join(
    words.map((word) => sql`${fold}(${column}) like ${fold}(${`%${escapeLike(word)}%`})`),
    sql` and `,
  )})`;
}
