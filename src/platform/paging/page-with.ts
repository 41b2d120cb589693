import { sql, WithSchemaPlugin, type CompiledQuery, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { finishPage, pageWindow, type Keyset, type Page, type PageRequest, type PageWindow } from '../db/keyset.js';
import type { CursorCodec } from '../db/cursors.js';
import { sendCompiled } from '../db/query-stats.js';

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
  query: PageWithQuery<Row>,
): Promise<PageWith<Row>> {
  const window = pageWindow(query.keyset, query.page);
  const joined = (await statementOf(db, query, window, window.limit).execute()) as Row[];
  return pageOf(query.keyset, window, joined, query.page);
}

/** Reads one call's value for a parameter of a statement compiled once (`PageWithShape.build`). */
export type SlotOf<Input> = <T>(read: (input: Input) => T) => T;

/**
 * A page-with statement compiled once per shape and source, then sent again with each call's
 * values: building it (Kysely's builders, the schema plugin's walk of every node, the compiler)
 * cost about as much of the catalogue page as parsing its rows.
 */
export interface PageWithShape<Row, Input> {
  /**
   * Names everything the statement's text depends on besides the keyset and the page arguments
   * (the call site, which filters are given, the columns, the join): calls with equal keys must
   * build equal text once their values are parameters.
   */
  key: string;
  /** This call's values, which the template's slots read. */
  input: Input;
  keyset: Keyset<Row>;
  page: PageRequest;
  /**
   * The query, join and order of `fetchPageWith` with every value `slot(read)` (what `read`
   * gives for a call's input): called only when the shape is first compiled. A value built in
   * without a slot is refused (it would be sent to every later call).
   */
  build: (slot: SlotOf<Input>) => Omit<PageWithQuery<Row>, 'keyset' | 'page'>;
}

/** `fetchPageWith` for a statement of a known shape: the same statement and result, compiled once per shape and source. */
export async function fetchPageWithShape<Row, Input>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  { key, input, keyset, page, build }: PageWithShape<Row, Input>,
): Promise<PageWith<Row>> {
  // The page's cursors decoded here (validated, as fetchPageWith does), their values noted for the slots.
  const bounds: Bounds = {};
  const window = pageWindow(keyset, { ...page, cursors: noting(page, bounds) });
  const shape = `${key}|${keyset.name}:${keyset.columns.join(',')}:${keyset.direction}|${page.after != null}:${page.before != null}:${window.backward}`;
  const template = templateOf(db, shape, () => {
    // The same window with each bound's value and the limit a slot.
    const slots: Bounds = {};
    const slotted = pageWindow(keyset, { ...page, cursors: slotting(page, slots) });
    const call = (read: (call: Call<Input>) => unknown) => new Slot(read) as never;
    const parts = build((read) => call((c) => read(c.input)));
    return statementOf(db, { ...parts, keyset, page }, slotted, call((c) => c.limit)).compile();
  });
  const values: Call<Input> = { input, bounds, limit: window.limit };
  const parameters = template.parameters.map((slot) => (slot as Slot<Input>).read(values));
  const joined = (await sendCompiled<Row>(db, template, parameters)).rows;
  return pageOf(keyset, window, joined, page);
}

/** The page's statement: the window in a subquery, the join outside it, the page's order again. */
function statementOf<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  { query, keyset, join, thenBy }: PageWithQuery<Row>,
  window: PageWindow,
  limit: number,
) {
  let inner = query;
  if (window.where) inner = inner.where(window.where);
  inner = inner.orderBy(window.orderBy).limit(limit);
  // The page's order again, on the subquery's columns: a join promises no order of its own.
  const walkAsc = (keyset.direction === 'asc') !== window.backward;
  const order = sql.join(keyset.columns.map((column) => sql`${sql.ref(`page.${column}`)} ${sql.raw(walkAsc ? 'asc' : 'desc')}`));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's columns are the query's own
  const outer = join(db.selectFrom(inner.as('page')).selectAll('page') as SelectQueryBuilder<any, 'page', Row>).orderBy(order);
  return thenBy ? outer.orderBy(thenBy) : outer;
}

function pageOf<Row>(keyset: Keyset<Row>, window: PageWindow, joined: Row[], page: PageRequest): PageWith<Row> {
  // A to-many relation repeats a page row: rows in page order, each once (the keyset's last column is unique).
  const unique = keyset.columns[keyset.columns.length - 1]!;
  const rows: Row[] = [];
  for (const row of joined) if (rows.length === 0 || rows[rows.length - 1]![unique] !== row[unique]) rows.push(row);
  return { page: finishPage(keyset, window, rows, page), joined };
}

/** The decoded values of the page's cursors. */
interface Bounds {
  after?: readonly unknown[];
  before?: readonly unknown[];
}

/** What a template's slots read: the caller's input, the cursors' values, the row limit. */
interface Call<Input> {
  input: Input;
  bounds: Bounds;
  limit: number;
}

class Slot<Input> {
  constructor(readonly read: (call: Call<Input>) => unknown) {}
}

/** The page's codec, noting the values it decodes for `after` and `before` (pageWindow decodes each once). */
function noting(page: PageRequest, bounds: Bounds): CursorCodec {
  return {
    decode: (keyset, cursor) => {
      const values = page.cursors.decode(keyset, cursor);
      if (cursor === page.after) bounds.after = values;
      if (cursor === page.before) bounds.before = values;
      return values;
    },
  } as Pick<CursorCodec, 'decode'> as CursorCodec;
}

/** A codec whose bounds are slots reading the values `noting` noted: the template's window. */
function slotting(page: PageRequest, slots: Bounds): CursorCodec {
  return {
    decode: (keyset, cursor) => {
      const side = cursor === page.after && slots.after === undefined ? 'after' : 'before';
      const values = keyset.columns.map((_, i) => new Slot((call) => call.bounds[side]![i]));
      slots[side] = values;
      return values;
    },
  } as Pick<CursorCodec, 'decode'> as CursorCodec;
}

/** Compiled statements per source (its schema plugin: one per source connection) and shape. */
const templates = new WeakMap<object, Map<string, CompiledQuery>>();
/** Sources without a schema plugin share one entry. */
const NO_SCHEMA = {};
/** A bound on shapes per source: past it, a new shape is compiled per call. */
const MAX_SHAPES = 256;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
function templateOf(db: Kysely<any>, shape: string, compile: () => CompiledQuery): CompiledQuery {
  const owner = db.getExecutor().plugins.find((plugin) => plugin instanceof WithSchemaPlugin) ?? NO_SCHEMA;
  let shapes = templates.get(owner);
  if (!shapes) templates.set(owner, (shapes = new Map()));
  let template = shapes.get(shape);
  if (!template) {
    template = compile();
    if (!template.parameters.every((parameter) => parameter instanceof Slot)) throw new Error(`fetchPageWithShape: ${shape} compiled a value without its slot`);
    if (shapes.size < MAX_SHAPES) shapes.set(shape, template);
  }
  return template;
}
