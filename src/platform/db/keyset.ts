import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { PageArgumentError, type CursorCodec, type PageArgs } from './cursors.js';

export { CursorCodec, PageArgumentError, type PageArgs } from './cursors.js';

/**
 * Page arguments with the codec of the caller's cursors (`ctx.cursors.page(args)`): what every
 * repository method that returns a page, and every page loader, takes. The codec reads `after`
 * and `before` and makes the cursors of the page's edges.
 */
export interface PageRequest extends PageArgs {
  readonly cursors: CursorCodec;
}

export interface Edge<Row> {
  node: Row;
  cursor: string;
}

export interface Page<Row> {
  edges: Edge<Row>[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /**
   * The number of rows in the whole filtered list, when the page is known to hold all of them (a
   * first page asked without a cursor that came back short of its size): `countOf` answers
   * totalCount from it without a statement. Absent otherwise (a full page, `last`, a cursor).
   */
  count?: number;
}

/**
 * The totalCount of a connection over `page`: its own length when the page holds the whole
 * filtered list (`Page.count`), else `count()` (a statement). `count` must be over the same filter
 * as the page, as every connection's is.
 */
export function countOf(page: Page<unknown>, count: () => Promise<number>): () => Promise<number> {
  const known = page.count;
  return known === undefined ? count : () => Promise.resolve(known);
}

/**
 * A keyset ordering: the columns rows are sorted by, ending with a unique one (the id), all in
 * one direction so that `(a, b) > ($1, $2)` can walk one index. The columns are the row's own
 * (typed): a cursor carries exactly their values.
 */
export interface Keyset<Row> {
  /** Names the ordering inside the cursor, so a cursor of another ordering is refused. */
  name: string;
  columns: readonly (keyof Row & string)[];
  direction: 'asc' | 'desc';
}

/** The sort values of a row in a keyset: what its cursor carries. */
export function keyOf<Row>(keyset: Keyset<Row>, row: Row): unknown[] {
  return keyset.columns.map((column) => row[column]);
}

/**
 * One page per parent (an agency's dossiers, a household's members) for a batch of parents: the
 * one parameter object of every repository's `pagesByX`. Every parent gets the same filter, order
 * and page arguments (one statement for the batch); every requested parent gets a page.
 */
export type PagesPerParent<Filter, Order extends string | undefined = undefined> = {
  parentIds: readonly number[];
  /** Unset: no restriction. A row scope goes in here too. */
  filter?: Filter | null;
  page: PageRequest;
} & ([Order] extends [string] ? { order: Order } : { order?: undefined });

/** How many children each parent has within a filter: the parameter object of every `countByX`. */
export interface CountsPerParent<Filter> {
  parentIds: readonly number[];
  filter?: Filter | null;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** What a query needs to fetch one page: an optional bound, the order and the row limit. */
export interface PageWindow {
  where?: RawBuilder<boolean>;
  orderBy: RawBuilder<unknown>;
  /** One more than the page size: the extra row tells whether another page follows. */
  limit: number;
  size: number;
  backward: boolean;
}

function pageSize(value: number | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new PageArgumentError(`${name} must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  return value;
}

function tuple(columns: readonly string[]): RawBuilder<unknown> {
  return sql`(${sql.join(columns.map((c) => sql.ref(c)))})`;
}

export function pageWindow<Row>(keyset: Keyset<Row>, page: PageRequest): PageWindow {
  const first = pageSize(page.first, 'first');
  const last = pageSize(page.last, 'last');
  if (first !== undefined && last !== undefined) throw new PageArgumentError('Pass either first or last, not both');
  const backward = last !== undefined;
  const size = backward ? last : (first ?? DEFAULT_PAGE_SIZE);

  const asc = keyset.direction === 'asc';
  const bounds: RawBuilder<boolean>[] = [];
  if (page.after != null) {
    const values = page.cursors.decode(keyset, page.after);
    bounds.push(sql<boolean>`${tuple(keyset.columns)} ${sql.raw(asc ? '>' : '<')} (${sql.join(values)})`);
  }
  if (page.before != null) {
    const values = page.cursors.decode(keyset, page.before);
    bounds.push(sql<boolean>`${tuple(keyset.columns)} ${sql.raw(asc ? '<' : '>')} (${sql.join(values)})`);
  }
  // Walking backward reads the index the other way and the page is reversed afterwards.
  const walkAsc = asc !== backward;
  const orderBy = sql.join(keyset.columns.map((c) => sql`${sql.ref(c)} ${sql.raw(walkAsc ? 'asc' : 'desc')}`));
  return {
    where: bounds.length ? sql<boolean>`${sql.join(bounds, sql` and `)}` : undefined,
    orderBy,
    limit: size + 1,
    size,
    backward,
  };
}

/**
 * An edge whose cursor is encrypted on first read: most documents ask only `endCursor` (or no
 * cursor at all), and sealing every edge's cursor (AES-GCM + HMAC) was a measurable part of a page.
 */
class LazyEdge<Row> implements Edge<Row> {
  private sealed: string | undefined;

  constructor(
    readonly node: Row,
    private readonly keyset: Keyset<Row>,
    private readonly cursors: CursorCodec,
  ) {}

  get cursor(): string {
    this.sealed ??= this.cursors.encode(this.keyset, keyOf(this.keyset, this.node));
    return this.sealed;
  }
}

/** Turns the rows fetched with a window into a page: trims the extra row, restores the order. */
export function finishPage<Row>(keyset: Keyset<Row>, window: PageWindow, rows: Row[], page: PageRequest): Page<Row> {
  const more = rows.length > window.size;
  const kept = more ? rows.slice(0, window.size) : rows;
  if (window.backward) kept.reverse();
  const result: Page<Row> = {
    edges: kept.map((node) => new LazyEdge(node, keyset, page.cursors)),
    // Past a cursor there are rows on its other side; Relay allows this cheap answer.
    hasNextPage: window.backward ? Boolean(page.before) : more,
    hasPreviousPage: window.backward ? more : Boolean(page.after),
  };
  // No bound and no row past the end: the window fetched every row of the filter (`last` is left to count).
  if (!more && !window.backward && page.after == null && page.before == null) result.count = kept.length;
  return result;
}

/** Fetches one page of a filtered query in the keyset's order. */
export async function fetchPage<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  query: SelectQueryBuilder<any, any, Row>,
  keyset: Keyset<Row>,
  page: PageRequest,
): Promise<Page<Row>> {
  const window = pageWindow(keyset, page);
  let q = query;
  if (window.where) q = q.where(window.where);
  const rows = await q.orderBy(window.orderBy).limit(window.limit).execute();
  return finishPage(keyset, window, rows as Row[], page);
}

export interface PagesByParentQuery<Row> {
  parentIds: readonly number[];
  /** The filtered child query of one parent, given a reference to that parent's key. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  children: (parentKey: RawBuilder<number>) => SelectQueryBuilder<any, any, Row>;
  parentOf: (row: Row) => number;
  keyset: Keyset<Row>;
  page: PageRequest;
}

/**
 * One page per parent for a whole batch of parents, in ONE statement: the parent keys are
 * unnested and each runs the keyset window in a lateral subquery, so every parent costs one
 * short index range walk however many parents the batch holds.
 */
export async function fetchPagesByParent<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  { parentIds, children, parentOf, keyset, page }: PagesByParentQuery<Row>,
): Promise<Map<number, Page<Row>>> {
  const keys = [...new Set(parentIds)];
  const pages = new Map<number, Page<Row>>();
  if (keys.length === 0) return pages;

  const window = pageWindow(keyset, page);
  let child = children(sql<number>`${sql.ref('parent.parent_key')}`);
  if (window.where) child = child.where(window.where);
  child = child.orderBy(window.orderBy).limit(window.limit);

  const rows = (await db
    .selectFrom(sql`unnest(${keys}::int[])`.as<'parent'>(sql`parent(parent_key)`))
    .innerJoinLateral(child.as('page'), (join) => join.onTrue())
    .selectAll('page')
    // Keeps each parent's rows in window order (the join alone promises no order).
    .orderBy(window.orderBy)
    .execute()) as Row[];

  const byParent = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) byParent.get(parentOf(row))?.push(row);
  for (const [key, group] of byParent) pages.set(key, finishPage(keyset, window, group, page));
  return pages;
}

function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] instanceof Date ? (a[i] as Date).toISOString() : a[i];
    const y = b[i] instanceof Date ? (b[i] as Date).toISOString() : b[i];
    if (x === y) continue;
    return (x as number | string) < (y as number | string) ? -1 : 1;
  }
  return 0;
}

/**
 * A page of a short list already fetched whole and sorted in the keyset's order (a dossier's
 * few events): the same arguments, cursors and page info as a list paged in SQL.
 */
export function pageFromRows<Row>(rows: readonly Row[], keyset: Keyset<Row>, page: PageRequest): Page<Row> {
  const window = pageWindow(keyset, page);
  const sign = keyset.direction === 'asc' ? 1 : -1;
  const after = page.after ? page.cursors.decode(keyset, page.after) : null;
  const before = page.before ? page.cursors.decode(keyset, page.before) : null;
  const inRange = rows.filter((row) => {
    const key = keyOf(keyset, row);
    return (!after || sign * compareKeys(key, after) > 0) && (!before || sign * compareKeys(key, before) < 0);
  });
  const fetched = window.backward ? inRange.slice(-window.limit).reverse() : inRange.slice(0, window.limit);
  return finishPage(keyset, window, fetched, page);
}

/**
 * How many rows of a filtered query each parent has, in ONE statement for a batch of parents
 * (the totalCount of a nested connection under a page of parents). Parents without rows are 0.
 */
export async function countByParent(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  query: SelectQueryBuilder<any, any, any>,
  parentColumn: string,
  parentIds: readonly number[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>(parentIds.map((id) => [id, 0]));
  if (parentIds.length === 0) return counts;
  const parent = sql.ref(parentColumn);
  const rows = (await query
    .clearSelect()
    .select([parent.as('parent'), sql<number>`count(*)`.as('n')])
    .where(parent, '=', sql<number>`any(${[...new Set(parentIds)]}::int[])`)
    .groupBy(parent)
    .execute()) as Array<{ parent: number; n: number | string }>;
  for (const row of rows) counts.set(Number(row.parent), Number(row.n));
  return counts;
}
