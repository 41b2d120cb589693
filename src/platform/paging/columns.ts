import { sql, type AliasedRawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Keyset } from '../db/keyset.js';

/**
 * Every column of a row type, listed once as a Record: a column added to the type must be added
 * here too (the compiler says so), and a name the type lacks is refused.
 */
export function columnsOf<Row>(columns: Record<keyof Row & string, true>): ReadonlyArray<keyof Row & string> {
  return Object.freeze(Object.keys(columns) as Array<keyof Row & string>);
}

/**
 * A related row brought along in a page's statement (fetchPageWith's `join`): its columns under
 * `<alias>$<column>`, names no page column has (no column name has a `$`).
 */
export class JoinedColumns<Related extends { id: unknown }> {
  /** The select list of the join, `<alias>.<column> as <alias>$<column>`, built once. */
  readonly selection: ReadonlyArray<AliasedRawBuilder<unknown, string>>;
  /**
   * The related row of one joined row; null when the join found none (its id is null). Made as
   * one object literal from the column names (code's own, quoted by JSON.stringify): reading and
   * assigning the names one by one cost ~0.3 µs a row, two thirds of parsing it.
   */
  readonly from: (joined: unknown) => Related | null;

  constructor(
    readonly alias: string,
    readonly columns: ReadonlyArray<keyof Related & string>,
  ) {
    const name = (column: string) => `${alias}$${column}`;
    this.selection = columns.map((column) => sql.ref(`${alias}.${column}`).as(name(column)));
    const quote = (text: string) => JSON.stringify(text);
    const fields = columns.map((column) => `${quote(column)}: row[${quote(name(column))}]`).join(', ');
    this.from = new Function('row', `return row[${quote(name('id'))}] === null ? null : { ${fields} };`) as (joined: unknown) => Related | null;
  }
}

/**
 * A list's query with only `columns` and the id and the keyset's (the cursors carry them), or as
 * it is (every column) without `columns`; the rows keep the query's row type, the fields not
 * selected absent.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's table
export function selectingOnly<Row extends { id: unknown }, Q extends SelectQueryBuilder<any, any, Row>>(
  query: Q,
  keyset: Keyset<Row>,
  columns: ReadonlyArray<keyof Row & string> | undefined,
): Q {
  if (!columns) return query;
  return query.clearSelect().select([...new Set<string>(['id', ...keyset.columns, ...columns])]) as unknown as Q;
}
