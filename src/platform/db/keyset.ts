import { AsyncLocalStorage } from 'node:async_hooks';
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';

/** Relay-style page arguments as they arrive from a client (cursors still opaque). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Edge<Row> {
  node: Row;
  cursor: string;
}

export interface Page<Row> {
  edges: Edge<Row>[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * A keyset ordering: the columns rows are sorted by, ending with a unique one (the id), all in
 * one direction so that `(a, b) > ($1, $2)` can walk one index.
 */
export interface Keyset<Row> {
  /** Names the ordering inside the cursor, so a cursor of another ordering is refused. */
  name: string;
  columns: readonly string[];
  direction: 'asc' | 'desc';
  values(row: Row): unknown[];
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Bad page arguments or a cursor that is not ours; the API reports it as BAD_USER_INPUT. */
export class PageArgumentError extends Error {}

/**
 * Cursors are encrypted (AES-256-GCM): they carry the sort values of a row, which may be
 * personal data (a birth date, a name) that the caller is not allowed to read. The IV is derived
 * from the content, so a row's cursor is stable. Replicas share the key (CURSOR_SECRET).
 *
 * A cursor is bound to the caller it was issued to: the caller's binding (subject, role, agency,
 * citizen) is the AEAD's associated data, so another caller's cursor fails authentication. A
 * cursor of a row hidden from this caller must not start a page right after that row.
 */
let cursorKey = createHash('sha256').update('city-data-gateway development cursor key').digest();

export function setCursorSecret(secret: string): void {
  cursorKey = createHash('sha256').update(secret).digest();
}

/** Anonymous callers share one binding, the same as outside any request (scripts, repository tests). */
const ANONYMOUS_BINDING = 'anonymous';

const bindings = new AsyncLocalStorage<string | null>();

/**
 * Runs `fn` (one request) with the caller's cursor binding (null: anonymous): cursors made
 * inside carry it, and only cursors that carry it are read.
 */
export function withCursorBinding<T>(binding: string | null, fn: () => T): T {
  return bindings.run(binding, fn);
}

function currentBinding(): Buffer {
  return Buffer.from(`cursor-binding:${bindings.getStore() ?? ANONYMOUS_BINDING}`);
}

export function encodeCursor(keyset: { name: string }, values: unknown[]): string {
  const plain = Buffer.from(JSON.stringify([keyset.name, ...values.map((v) => (v instanceof Date ? v.toISOString() : v))]));
  const binding = currentBinding();
  // The binding goes into the IV too: one IV under two associated data would be a GCM nonce reuse.
  const iv = createHmac('sha256', cursorKey).update(binding).update(Buffer.from([0])).update(plain).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', cursorKey, iv);
  cipher.setAAD(binding);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function decodeCursor(keyset: { name: string; columns: readonly string[] }, cursor: string): unknown[] {
  let parsed: unknown;
  try {
    const raw = Buffer.from(cursor, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', cursorKey, raw.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(raw.subarray(12, 28));
    decipher.setAAD(currentBinding());
    parsed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
  } catch {
    // Forged, damaged and another caller's cursors look alike: nothing tells them apart.
    throw new PageArgumentError('Invalid cursor');
  }
  if (!Array.isArray(parsed) || parsed[0] !== keyset.name || parsed.length !== keyset.columns.length + 1) {
    throw new PageArgumentError('Invalid cursor (it belongs to another list or ordering)');
  }
  const values = parsed.slice(1);
  if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) throw new PageArgumentError('Invalid cursor');
  return values;
}

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

export function pageWindow<Row>(keyset: Keyset<Row>, args: PageArgs): PageWindow {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  if (first !== undefined && last !== undefined) throw new PageArgumentError('Pass either first or last, not both');
  const backward = last !== undefined;
  const size = backward ? last : (first ?? DEFAULT_PAGE_SIZE);

  const asc = keyset.direction === 'asc';
  const bounds: RawBuilder<boolean>[] = [];
  if (args.after != null) {
    const values = decodeCursor(keyset, args.after);
    bounds.push(sql<boolean>`${tuple(keyset.columns)} ${sql.raw(asc ? '>' : '<')} (${sql.join(values)})`);
  }
  if (args.before != null) {
    const values = decodeCursor(keyset, args.before);
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

/** Turns the rows fetched with a window into a page: trims the extra row, restores the order. */
export function finishPage<Row>(keyset: Keyset<Row>, window: PageWindow, rows: Row[], args: PageArgs): Page<Row> {
  const more = rows.length > window.size;
  const kept = more ? rows.slice(0, window.size) : rows;
  if (window.backward) kept.reverse();
  return {
    edges: kept.map((node) => ({ node, cursor: encodeCursor(keyset, keyset.values(node)) })),
    // Past a cursor there are rows on its other side; Relay allows this cheap answer.
    hasNextPage: window.backward ? Boolean(args.before) : more,
    hasPreviousPage: window.backward ? more : Boolean(args.after),
  };
}

/** Fetches one page of a filtered query in the keyset's order. */
export async function fetchPage<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  query: SelectQueryBuilder<any, any, Row>,
  keyset: Keyset<Row>,
  args: PageArgs,
): Promise<Page<Row>> {
  const window = pageWindow(keyset, args);
  let q = query;
  if (window.where) q = q.where(window.where);
  const rows = await q.orderBy(window.orderBy).limit(window.limit).execute();
  return finishPage(keyset, window, rows as Row[], args);
}

/**
 * One page per parent for a whole batch of parents, in ONE statement: the parent keys are
 * unnested and each runs the keyset window in a lateral subquery, so every parent costs one
 * short index range walk however many parents the batch holds.
 */
export async function fetchPagesByParent<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  parentIds: readonly number[],
  /** The filtered child query of one parent, given a reference to that parent's key. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  children: (parentKey: RawBuilder<number>) => SelectQueryBuilder<any, any, Row>,
  parentOf: (row: Row) => number,
  keyset: Keyset<Row>,
  args: PageArgs,
): Promise<Map<number, Page<Row>>> {
  const keys = [...new Set(parentIds)];
  const pages = new Map<number, Page<Row>>();
  if (keys.length === 0) return pages;

  const window = pageWindow(keyset, args);
  let page = children(sql<number>`${sql.ref('parent.parent_key')}`);
  if (window.where) page = page.where(window.where);
  page = page.orderBy(window.orderBy).limit(window.limit);

  const rows = (await db
    .selectFrom(sql`unnest(${keys}::int[])`.as<'parent'>(sql`parent(parent_key)`))
    .innerJoinLateral(page.as('page'), (join) => join.onTrue())
    .selectAll('page')
    // Keeps each parent's rows in window order (the join alone promises no order).
    .orderBy(window.orderBy)
    .execute()) as Row[];

  const byParent = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) byParent.get(parentOf(row))?.push(row);
  for (const [key, group] of byParent) pages.set(key, finishPage(keyset, window, group, args));
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
export function pageFromRows<Row>(rows: readonly Row[], keyset: Keyset<Row>, args: PageArgs): Page<Row> {
  const window = pageWindow(keyset, args);
  const sign = keyset.direction === 'asc' ? 1 : -1;
  const after = args.after ? decodeCursor(keyset, args.after) : null;
  const before = args.before ? decodeCursor(keyset, args.before) : null;
  const inRange = rows.filter((row) => {
    const key = keyset.values(row);
    return (!after || sign * compareKeys(key, after) > 0) && (!before || sign * compareKeys(key, before) < 0);
  });
  const fetched = window.backward ? inRange.slice(-window.limit).reverse() : inRange.slice(0, window.limit);
  return finishPage(keyset, window, fetched, args);
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
