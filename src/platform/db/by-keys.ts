import { sql, WithSchemaPlugin, type CompiledQuery, type Kysely } from 'kysely';
import { sendCompiled } from './query-stats.js';

/** The array type the keys are sent as: the column's own, so that its index is used (char(12) is `bpchar`). */
export type KeyCast = 'int' | 'text' | 'bpchar';

export interface ByKeysOptions {
  /**
   * Keep the rows found in a process-wide cache for this long (ms), per source connection and
   * shape, and answer the keys it holds without a statement. For reference data only (agencies
   * and administrative units, which the gateway never writes; seeds and migrations change them): a row changed in the
   * database is seen once its entry expires. A key with no row is not cached (asked every time),
   * so a new row is seen at once and unknown keys cannot fill the cache. Cached rows are frozen:
   * they are shared by every request.
   */
  cacheMs?: number;
}

/**
 * Rows of one table by a batch of keys, `select <columns> from <table> where <key> = any($1)`:
 * the by-id and by-code loaders' one shape. A shape (table, key, columns) is built and compiled by
 * Kysely once per source and process, then sent again with new keys: building a query (freezing
 * and visiting its nodes, applying the schema plugin) cost more than the statement's own round
 * trip on the worklist. The statement still goes through the request's executor, so the request's
 * counter, the connections' events (with the node, for tracing) and read-replica routing see it
 * as any other.
 *
 * `columns` undefined selects every column.
 */
export async function selectByKeys<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database: the table is named by string
  db: Kysely<any>,
  table: string,
  key: string,
  cast: KeyCast,
  keys: readonly unknown[],
  columns?: readonly string[],
  options: ByKeysOptions = {},
): Promise<Row[]> {
  if (keys.length === 0) return [];
  const { template, cached } = templateOf(db, table, key, cast, columns, options.cacheMs !== undefined);
  if (!cached) return send<Row>(db, template, keys);
  const now = Date.now();
  const rows: Row[] = [];
  const missing: unknown[] = [];
  for (const k of keys) {
    const hit = cached.get(k);
    if (hit && hit.until > now) rows.push(hit.row as Row);
    else missing.push(k);
  }
  if (missing.length === 0) return rows;
  const fetched = await send<Row>(db, template, missing);
  const until = Date.now() + options.cacheMs!;
  if (cached.size + fetched.length > MAX_CACHED) cached.clear();
  for (const row of fetched) {
    const frozen = Object.freeze(row);
    cached.set((row as Record<string, unknown>)[key], { row: frozen, until });
    rows.push(frozen);
  }
  return rows;
}

async function send<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  template: CompiledQuery,
  keys: readonly unknown[],
): Promise<Row[]> {
  return (await sendCompiled<Row>(db, template, [[...keys]])).rows;
}

interface Shape {
  template: CompiledQuery;
  /** The process cache of rows by key, for shapes asked with `cacheMs`. */
  cached?: Map<unknown, { row: object; until: number }>;
}

/** Compiled shapes, per source (its schema plugin: one per source connection) and shape. */
const templates = new WeakMap<object, Map<string, Shape>>();
/** A bound on the rows a cached shape keeps (reference tables are small: a few dozen agencies). */
const MAX_CACHED = 1000;
/** Sources without a schema plugin (none today) share one entry. */
const NO_SCHEMA = {};
/** A bound on shapes per source: the loaders' column sets are a few dozen; past it, build per call. */
const MAX_SHAPES = 512;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function templateOf(db: Kysely<any>, table: string, key: string, cast: KeyCast, columns: readonly string[] | undefined, cache: boolean): Shape {
  const owner = db.getExecutor().plugins.find((plugin) => plugin instanceof WithSchemaPlugin) ?? NO_SCHEMA;
  let shapes = templates.get(owner);
  if (!shapes) templates.set(owner, (shapes = new Map()));
  // Columns sorted: the same set asked in another order is the same statement.
  const sorted = columns ? [...columns].sort() : undefined;
  const shape = `${table}|${key}|${cast}|${sorted?.join(',') ?? '*'}`;
  let made = shapes.get(shape);
  if (!made) {
    const any = sql`any(${sql.val([])}::${sql.raw(cast)}[])`;
    const base = db.selectFrom(table);
    const selected = sorted ? base.select(sorted) : base.selectAll();
    const template = selected.where(key, '=', any).compile();
    if (template.parameters.length !== 1) throw new Error(`selectByKeys: ${shape} compiled with ${template.parameters.length} parameters`);
    made = { template };
    if (shapes.size < MAX_SHAPES) shapes.set(shape, made);
  }
  if (cache && !made.cached) made.cached = new Map();
  return made;
}
