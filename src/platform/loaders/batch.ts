import DataLoader from 'dataloader';
import type { Page, PageRequest } from '../db/keyset.js';

/**
 * How one request's loaders batch, and who hears about it. These factories are the only way the
 * gateway makes a DataLoader (ESLint refuses `dataloader` elsewhere), so every batch is seen by
 * `onBatch`: the gateway passes its metrics' hook here, per gateway, never through the process.
 */
export interface LoaderOptions {
  /** Off only to measure the naive baseline (one query per row) in benchmarks. */
  batch: boolean;
  /** Called with the number of keys of every batch a loader runs (the gateway's metrics). */
  onBatch?: (size: number) => void;
  /** The source whose loaders these are (createLoaders gives each module's its own): named in the batch's span. */
  source?: string;
  /** While tracing: runs each batch inside its span (source, key count). */
  traceBatch?: <T>(source: string | undefined, keys: number, run: () => Promise<T>) => Promise<T>;
  /** The request's schedule of column-loader batches (one per request, shared by every module's loaders): see BatchWave. */
  wave?: BatchWave;
}

/**
 * One request's column-loader batches go in waves: a batch waits for the point where the request
 * has no batch in flight (a DataLoader's included) and the loads of the current turn of the event
 * loop have been made, and loads made meanwhile join it. The wards of a worklist's citizens (asked
 * once the guard's statement on the citizens is back) and of its businesses (once the businesses
 * are) so make one statement instead of two, at the price of the first starting when the others
 * are known. Only what a batch's fetch awaits could hold a wave back, and a fetch is SQL only (no
 * loader), so every wave ends.
 */
export class BatchWave {
  private inFlight = 0;
  private armed = false;
  private readonly waiting: Array<() => Promise<unknown>> = [];
  private readonly settled = () => {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.arm();
  };

  /** Starts `dispatch` with the next wave. */
  schedule(dispatch: () => Promise<unknown>): void {
    this.waiting.push(dispatch);
    this.arm();
  }

  /** A batch of another loader of the request (a DataLoader), in flight now: it never waits, but the next wave waits for it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight += 1;
    work.then(this.settled, this.settled);
    return work;
  }

  /**
   * The next wave starts in the check phase: after the promise jobs and ticks of this turn (a
   * guard's check asks a DataLoader, whose batch starts in a tick), so what they ask joins it and a
   * DataLoader batch they start holds it back.
   */
  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => {
      this.armed = false;
      if (this.inFlight > 0) return;
      for (const dispatch of this.waiting.splice(0)) {
        this.inFlight += 1;
        dispatch().then(this.settled, this.settled);
      }
    });
  }
}

const MAX_BATCH = 1000;
/** Pages per parent cost a lateral walk each: smaller batches. */
const MAX_PAGE_BATCH = 500;

function loader<K, V>(run: (keys: readonly K[]) => Promise<V[]>, options: LoaderOptions, maxBatchSize = MAX_BATCH): DataLoader<K, V> {
  const { onBatch, traceBatch, source, wave } = options;
  return new DataLoader<K, V>(
    (keys) => {
      onBatch?.(keys.length);
      const work = traceBatch ? traceBatch(source, keys.length, () => run(keys)) : run(keys);
      return wave ? wave.track(work) : work;
    },
    { batch: options.batch, maxBatchSize },
  );
}

/**
 * Values by key from one batched fetch that answers with a map; a key the map lacks gets
 * `missing`. DataLoader's contract: the results have the same length and order as the keys.
 */
export function mapLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
  missing: V,
  options: LoaderOptions,
  maxBatchSize = MAX_BATCH,
): DataLoader<K, V> {
  return loader(async (keys) => {
    const values = await fetch(keys);
    return keys.map((key) => (values.has(key) ? values.get(key)! : missing));
  }, options, maxBatchSize);
}

/** Rows by key, one batched query per tick; a missing key gets null. */
export function keyLoader<K, Row>(
  fetch: (keys: readonly K[]) => Promise<Row[]>,
  keyOf: (row: Row) => K,
  options: LoaderOptions,
): DataLoader<K, Row | null> {
  return mapLoader(
    async (keys) => {
      const byKey = new Map<K, Row>();
      for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
      return byKey;
    },
    null,
    options,
  );
}

export function idLoader<Row extends { id: number }>(
  fetch: (ids: readonly number[]) => Promise<Row[]>,
  options: LoaderOptions,
): DataLoader<number, Row | null> {
  return keyLoader(fetch, (row) => row.id, options);
}

/** All children of each parent (small one-to-many lists, such as a household's members). */
export function groupLoader<Row>(
  fetch: (parentIds: readonly number[]) => Promise<Row[]>,
  parentOf: (row: Row) => number,
  options: LoaderOptions,
): DataLoader<number, Row[]> {
  return loader(async (parentIds) => {
    const groups = new Map<number, Row[]>();
    for (const row of await fetch(parentIds)) {
      const parent = parentOf(row);
      const group = groups.get(parent);
      if (group) group.push(row);
      else groups.set(parent, [row]);
    }
    return parentIds.map((id) => groups.get(id) ?? []);
  }, options);
}

/** Whether each key is in the set a batched query returns (e.g. "is this citizen an applicant"). */
export function membershipLoader(
  fetch: (keys: readonly number[]) => Promise<ReadonlySet<number>>,
  options: LoaderOptions,
): DataLoader<number, boolean> {
  return loader(async (keys) => {
    const members = await fetch(keys);
    return keys.map((key) => members.has(key));
  }, options);
}

/**
 * One loader per distinct argument (a row scope, an agency): loaders with different arguments
 * must not share cached rows, and calls with the same argument still batch together. `make`
 * builds its loader with one of the factories here.
 */
export function loaderFamily<A, L>(make: (arg: A) => L): (arg: A) => L {
  const loaders = new Map<string, L>();
  return (arg) => {
    const key = JSON.stringify(arg);
    let made = loaders.get(key);
    if (!made) {
      made = make(arg);
      loaders.set(key, made);
    }
    return made;
  };
}

const EMPTY_PAGE: Page<never> = { edges: [], hasNextPage: false, hasPreviousPage: false };

/**
 * A page of children per parent (an agency's first 5 dossiers, for each agency of a page): one
 * query per batch of parents with the same query (filter, order...) and page arguments. The
 * page's cursor codec is the request's: loaders never outlive their request.
 */
export function pageLoaderFamily<Row, Q>(
  fetch: (parentIds: readonly number[], query: Q, page: PageRequest) => Promise<Map<number, Page<Row>>>,
  options: LoaderOptions,
): (query: Q, page: PageRequest) => DataLoader<number, Page<Row>> {
  // Keyed by the codec (one per request, so one entry) and by the query and page arguments (JSON).
  const families = new WeakMap<PageRequest['cursors'], Map<string, DataLoader<number, Page<Row>>>>();
  return (query, page) => {
    let family = families.get(page.cursors);
    if (!family) families.set(page.cursors, (family = new Map()));
    const key = JSON.stringify({ query, page: { first: page.first, after: page.after, last: page.last, before: page.before } });
    let made = family.get(key);
    if (!made) {
      made = mapLoader((parentIds) => fetch(parentIds, query, page), EMPTY_PAGE as Page<Row>, options, MAX_PAGE_BATCH);
      family.set(key, made);
    }
    return made;
  };
}

/** The totalCount of a nested connection for each parent: one grouped count per batch and filter. */
export function countLoaderFamily<F>(
  fetch: (parentIds: readonly number[], filter: F) => Promise<Map<number, number>>,
  options: LoaderOptions,
): (filter: F) => DataLoader<number, number> {
  return loaderFamily((filter: F) => mapLoader((parentIds) => fetch(parentIds, filter), 0, options));
}

/** Per GraphQL field of a type, the row's columns its value is made from (as in relay/selection.ts). */
export type ColumnsOfFields<Row> = Readonly<Record<string, readonly (keyof Row & string)[]>>;

/** How a column-aware loader turns the fields a document asks into the columns to select. */
export interface ColumnPlan<Row> {
  /** Per GraphQL field, its columns; a field missing here needs what `unlisted` says. */
  fields: ColumnsOfFields<Row>;
  /** Fetched whatever is asked: the key, and what the guard and the access log read (a citizen's national id). */
  always: readonly (keyof Row & string)[];
  /**
   * What a field missing from `fields` needs. 'all' (the default): every column, the safe answer
   * for a field the plan does not know. 'always': the `always` columns only, for a type that
   * other modules extend with relations resolved by this row's key (`Citizen.dossiers`): its plan
   * lists only the fields its own module makes from columns, so that adding a source edits no
   * other module's plan; test/modules/column-plans.test.ts checks that every field of the
   * type's own module is listed and that the other modules' fields read only the key.
   */
  unlisted?: 'all' | 'always';
}

/**
 * A row loader that selects only the columns the document asks: `load(key, fields)` with the
 * GraphQL fields selected on the object (relay/selection.ts `selectedFields`); without `fields`,
 * every column. The loads of one tick make one statement per chunk of keys, selecting the union
 * of their columns. A row already loaded is answered from the request's cache when it has every
 * column asked; one that lacks some is fetched again with the missing ones and completed (never
 * answered with a column undefined). A key with no row is null whatever is asked.
 */
export interface ColumnLoader<K, Row> {
  load(key: K, fields?: ReadonlySet<string>): Promise<Row | null>;
  /**
   * A row the request fetched otherwise (a same-source relation in its parent's statement), as if
   * loaded with `fields`: it must hold every column `planColumns(plan, fields)` names. A row already
   * cached is completed with it, as by a fetch; later loads asking no more are answered from it.
   */
  prime(key: K, row: Row, fields?: ReadonlySet<string>): void;
}

/**
 * The columns a column-aware loader selects for `fields` (its plan's `always` and each field's),
 * or undefined for every column (no fields, or a field the plan does not know): what a statement
 * that fetches the rows for `ColumnLoader.prime` must select.
 */
export function planColumns<Row>(plan: ColumnPlan<Row>, fields: ReadonlySet<string> | undefined): Array<keyof Row & string> | undefined {
  if (!fields) return undefined;
  const columns = new Set<keyof Row & string>(plan.always);
  for (const field of fields) {
    const needs = plan.fields[field];
    if (!needs) {
      if (plan.unlisted === 'always') continue;
      return undefined;
    }
    for (const column of needs) columns.add(column);
  }
  return [...columns];
}

type Columns = ReadonlySet<string> | 'all';

function covers(have: Columns, want: Columns): boolean {
  if (have === 'all') return true;
  if (want === 'all') return false;
  for (const column of want) if (!have.has(column)) return false;
  return true;
}

function union(a: Columns, b: Columns): Columns {
  if (a === 'all' || b === 'all') return 'all';
  const both = new Set(a);
  for (const column of b) both.add(column);
  return both;
}

interface Cached<Row> {
  row: Row | null;
  columns: Columns;
}

interface PendingBatch<K> {
  keys: Set<K>;
  columns: Columns;
  done: Promise<void>;
}

/** DataLoader's own schedule: after the promise jobs of this tick, so loads made in `then`s join. */
const resolved = Promise.resolve();
function afterThisTick(run: () => void): void {
  void resolved.then(() => process.nextTick(run));
}

export function columnLoader<K, Row>(
  fetch: (keys: readonly K[], columns: ReadonlyArray<keyof Row & string> | undefined) => Promise<Row[]>,
  keyOf: (row: Row) => K,
  plan: ColumnPlan<Row>,
  options: LoaderOptions,
  maxBatchSize = MAX_BATCH,
): ColumnLoader<K, Row> {
  const { onBatch, traceBatch, source } = options;
  const cache = new Map<K, Cached<Row>>();
  /** Keys being fetched, with the columns their statement selects (a later load may wait on it). */
  const inFlight = new Map<K, { columns: Columns; done: Promise<void> }>();
  /** The columns of each fields set asked (the same Set for every row of a list: see selectedFields). */
  const planned = new WeakMap<ReadonlySet<string>, Columns>();
  let pending: PendingBatch<K> | undefined;

  const columnsOf = (fields: ReadonlySet<string> | undefined): Columns => {
    if (!fields) return 'all';
    let columns = planned.get(fields);
    if (!columns) {
      const listed = planColumns(plan, fields);
      columns = listed ? new Set<string>(listed) : 'all';
      planned.set(fields, columns);
    }
    return columns;
  };

  const store = (key: K, row: Row | null, columns: Columns) => {
    const before = cache.get(key);
    if (row && before?.row) cache.set(key, { row: { ...before.row, ...row }, columns: union(before.columns, columns) });
    else cache.set(key, { row, columns: row ? columns : 'all' });
  };

  const run = async (keys: readonly K[], columns: Columns) => {
    onBatch?.(keys.length);
    const select = columns === 'all' ? undefined : ([...columns] as Array<keyof Row & string>);
    const fetchThem = () => fetch(keys, select);
    const rows = await (traceBatch ? traceBatch(source, keys.length, fetchThem) : fetchThem());
    const found = new Set<K>();
    for (const row of rows) {
      const key = keyOf(row);
      found.add(key);
      store(key, row, columns);
    }
    for (const key of keys) if (!found.has(key)) store(key, null, 'all');
  };

  const dispatch = (batch: PendingBatch<K>, settle: { resolve: () => void; reject: (error: unknown) => void }): Promise<unknown> => {
    if (pending === batch) pending = undefined;
    const keys = [...batch.keys];
    const chunks: Array<Promise<void>> = [];
    for (let i = 0; i < keys.length; i += maxBatchSize) chunks.push(run(keys.slice(i, i + maxBatchSize), batch.columns));
    const done = () => {
      for (const key of keys) if (inFlight.get(key)?.done === batch.done) inFlight.delete(key);
    };
    return Promise.all(chunks).then(
      () => {
        done();
        settle.resolve();
      },
      (error: unknown) => {
        done();
        settle.reject(error);
      },
    );
  };

  const enqueue = (key: K, columns: Columns): Promise<void> => {
    // Batching off (the naive baseline): each load its own statement.
    let batch = options.batch ? pending : undefined;
    if (!batch) {
      let settle!: { resolve: () => void; reject: (error: unknown) => void };
      const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      const made: PendingBatch<K> = { keys: new Set(), columns, done };
      batch = made;
      if (options.batch) pending = made;
      const { wave } = options;
      // Batching off (the naive baseline): no waves either, each load goes at once.
      afterThisTick(() => (wave && options.batch ? wave.schedule(() => dispatch(made, settle)) : void dispatch(made, settle)));
    } else {
      batch.columns = union(batch.columns, columns);
    }
    batch.keys.add(key);
    inFlight.set(key, { columns: batch.columns, done: batch.done });
    return batch.done;
  };

  return {
    async load(key, fields) {
      const columns = columnsOf(fields);
      const cached = cache.get(key);
      if (cached && (cached.row === null || covers(cached.columns, columns))) return cached.row;
      const flying = inFlight.get(key);
      if (flying && covers(flying.columns, columns)) await flying.done;
      else await enqueue(key, columns);
      const now = cache.get(key);
      // The statement waited on selected at least these columns, and merges only widen a cached row.
      if (now && (now.row === null || covers(now.columns, columns))) return now.row;
      throw new Error('columnLoader: a fetched row lacks columns it was fetched for');
    },
    prime(key, row, fields) {
      store(key, row, columnsOf(fields));
    },
  };
}
