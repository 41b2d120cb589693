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
}

const MAX_BATCH = 1000;
/** Pages per parent cost a lateral walk each: smaller batches. */
const MAX_PAGE_BATCH = 500;

function loader<K, V>(run: (keys: readonly K[]) => Promise<V[]>, options: LoaderOptions, maxBatchSize = MAX_BATCH): DataLoader<K, V> {
  const { onBatch, traceBatch, source } = options;
  return new DataLoader<K, V>(
    (keys) => {
      onBatch?.(keys.length);
      return traceBatch ? traceBatch(source, keys.length, () => run(keys)) : run(keys);
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
