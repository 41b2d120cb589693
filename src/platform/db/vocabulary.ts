import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * A vocabulary column's check constraint, as a module declares it (`db/vocabulary.ts`, listed in
 * its manifest): the constraint's name, the column, and the `as const` array whose values it allows.
 */
export interface VocabularyCheck {
  /** The table the constraint is on. */
  table: string;
  /** PostgreSQL names a column's own check `<table>_<column>_check`. */
  constraint: string;
  column: string;
  values: readonly string[];
}

/**
 * `column in ('A', 'B', ...)` built from a vocabulary: how a migration checks a vocabulary column
 * (`.check(checkIn('status', RESULT_STATUSES))`). Migrations already applied keep the literal
 * lists they were written with (history does not change); a test reads the constraints back from
 * the database and compares them with the arrays, so a value added to an array without a
 * migration that widens its constraint fails.
 */
export function checkIn(column: string, values: readonly string[]): RawBuilder<boolean> {
  if (values.length === 0) throw new Error(`${column}: an empty vocabulary allows nothing`);
  return sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

/** One `column = ANY (ARRAY[...])` (how PostgreSQL keeps `column in (...)`) found in a check constraint. */
export interface CheckedValues {
  table: string;
  constraint: string;
  column: string;
  values: string[];
}

/** Every vocabulary a schema's check constraints enforce, read back from the database. */
export async function readVocabularyChecks(root: Kysely<unknown>, schema: string): Promise<CheckedValues[]> {
  const { rows } = await sql<{ table: string; constraint: string; definition: string }>`
    select cl.relname as "table", co.conname as "constraint", pg_get_constraintdef(co.oid) as definition
    from pg_constraint co
    join pg_class cl on cl.oid = co.conrelid
    join pg_namespace ns on ns.oid = cl.relnamespace
    where co.contype = 'c' and ns.nspname = ${schema}
    order by cl.relname, co.conname`.execute(root);
  const found: CheckedValues[] = [];
  for (const { table, constraint, definition } of rows) {
    for (const match of definition.matchAll(/\(?([a-z_]+) = ANY \(+ARRAY\[([^\]]*)\]/g)) {
      const values = [...match[2]!.matchAll(/'((?:[^']|'')*)'(?:::[a-z ]+)?/g)].map((m) => m[1]!.replace(/''/g, "'"));
      found.push({ table, constraint, column: match[1]!, values });
    }
  }
  return found;
}
