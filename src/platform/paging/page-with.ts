import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { finishPage, pageWindow, type Keyset, type Page, type PageRequest } from '../db/keyset.js';

/** What `fetchPageWith` takes: the page's query, and what to bring along from the same source. */
export interface PageWithQuery<Row> {
  /** The filtered query of the list (its select list included): the page's window is added here. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  query: SelectQueryBuilder<any, any, Row>;
  keyset: Keyset<Row>;
  page: PageRequest;
  /**
   * Joins the related rows (tables of the same database only: never another source) to the
   * page's rows, which the outer query names `page`, and selects their columns under names no
   * row column has. A to-many relation repeats each page row once per related row.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  join: (outer: SelectQueryBuilder<any, 'page', Row>) => SelectQueryBuilder<any, any, Row>;
  /** A to-many relation's order within one page row (after the page's own order). */
  thenBy?: RawBuilder<unknown>;
}

export interface PageWith<Row> {
  /** The page, exactly as `fetchPage` gives it for the same query (each row once). */
  page: Page<Row>;
  /** Every row the statement returned, in page order, with the related columns: the row past the page's end too. */
  joined: Row[];
}

/**
 * One page of a list and its same-source relations in ONE statement: the page is cut first (the
 * keyset window and its limit in a subquery, the same as `fetchPage`'s statement), then the
 * related rows are joined to those rows only (never to every row the filter matches before the
 * limit), and the outer query keeps the page's order. Relay semantics stay the page's own:
 * first/last/after/before, hasNextPage from the row past the end, each edge's cursor.
 */
export async function fetchPageWith<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  { query, keyset, page, join, thenBy }: PageWithQuery<Row>,
): Promise<PageWith<Row>> {
  const window = pageWindow(keyset, page);
  let inner = query;
  if (window.where) inner = inner.where(window.where);
  inner = inner.orderBy(window.orderBy).limit(window.limit);
  // The page's order again, on the subquery's columns: a join promises no order of its own.
  const walkAsc = (keyset.direction === 'asc') !== window.backward;
  const order = sql.join(keyset.columns.map((column) => sql`${sql.ref(`page.${column}`)} ${sql.raw(walkAsc ? 'asc' : 'desc')}`));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's columns are the query's own
  let outer = join(db.selectFrom(inner.as('page')).selectAll('page') as SelectQueryBuilder<any, 'page', Row>).orderBy(order);
  if (thenBy) outer = outer.orderBy(thenBy);
  const joined = (await outer.execute()) as Row[];
  // A to-many relation repeats a page row: rows in page order, each once (the keyset's last column is unique).
  const unique = keyset.columns[keyset.columns.length - 1]!;
  const rows: Row[] = [];
  for (const row of joined) if (rows.length === 0 || rows[rows.length - 1]![unique] !== row[unique]) rows.push(row);
  return { page: finishPage(keyset, window, rows, page), joined };
}
