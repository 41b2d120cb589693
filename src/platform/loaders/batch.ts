import DataLoader from 'dataloader';
import type { Page, PageArgs } from '../db/keyset.js';

type BatchListener = (size: number) => void;
const batchListeners = new Set<BatchListener>();

/** Process-wide hook (metrics): called with the number of keys of every batch a loader runs. */
export function onBatch(listener: BatchListener): () => void {
  batchListeners.add(listener);
  return () => batchListeners.delete(listener);
}

function notifyBatch(size: number): void {
  for (const listener of batchListeners) listener(size);
}

export interface LoaderOptions {
  /** Off only to measure the naive baseline (one query per row) in benchmarks. */
  batch: boolean;
}

/**
 * Rows by key, one batched query per tick. DataLoader's contract: the results have the same
 * length and order as the keys; a missing key gets null.
 */
export function keyLoader<K, Row>(
  fetch: (keys: readonly K[]) => Promise<Row[]>,
  keyOf: (row: Row) => K,
  options: LoaderOptions,
): DataLoader<K, Row | null> {
  return new DataLoader<K, Row | null>(
    async (keys) => {
      notifyBatch(keys.length);
      const rows = await fetch(keys);
      const byKey = new Map<K, Row>();
      for (const row of rows) byKey.set(keyOf(row), row);
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { batch: options.batch, maxBatchSize: 1000 },
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
  return new DataLoader<number, Row[]>(
    async (parentIds) => {
      notifyBatch(parentIds.length);
      const rows = await fetch(parentIds);
      const groups = new Map<number, Row[]>();
      for (const row of rows) {
        const parent = parentOf(row);
        const group = groups.get(parent);
        if (group) group.push(row);
        else groups.set(parent, [row]);
      }
      return parentIds.map((id) => groups.get(id) ?? []);
    },
    { batch: options.batch, maxBatchSize: 1000 },
  );
}

const EMPTY_PAGE: Page<never> = { edges: [], hasNextPage: false, hasPreviousPage: false };

/**
 * A page of children per parent (an agency's first 5 dossiers, for each agency of a page): one
 * query per batch of parents with the same page arguments and filter.
 */
export function pageLoaderFamily<Row, F>(
  fetch: (parentIds: number[], filter: F, page: PageArgs) => Promise<Map<number, Page<Row>>>,
  options: LoaderOptions,
): (filter: F, page: PageArgs) => DataLoader<number, Page<Row>> {
  const family = loaderFamily(
    ({ filter, page }: { filter: F; page: PageArgs }) =>
      new DataLoader<number, Page<Row>>(
        async (parentIds) => {
          notifyBatch(parentIds.length);
          const pages = await fetch([...parentIds], filter, page);
          return parentIds.map((id) => pages.get(id) ?? EMPTY_PAGE);
        },
        { batch: options.batch, maxBatchSize: 500 },
      ),
  );
  return (filter, page) => family({ filter, page: { first: page.first, after: page.after, last: page.last, before: page.before } });
}

/**
 * One loader per distinct argument (a row scope, an agency): loaders with different arguments
 * must not share cached rows, and calls with the same argument still batch together.
 */
export function loaderFamily<A, L>(make: (arg: A) => L): (arg: A) => L {
  const loaders = new Map<string, L>();
  return (arg) => {
    const key = JSON.stringify(arg);
    let loader = loaders.get(key);
    if (!loader) {
      loader = make(arg);
      loaders.set(key, loader);
    }
    return loader;
  };
}

/** Whether each key is in the set a batched query returns (e.g. "is this citizen an applicant"). */
export function membershipLoader(
  fetch: (keys: readonly number[]) => Promise<ReadonlySet<number>>,
  options: LoaderOptions,
): DataLoader<number, boolean> {
  return new DataLoader<number, boolean>(
    async (keys) => {
      notifyBatch(keys.length);
      const members = await fetch(keys);
      return keys.map((key) => members.has(key));
    },
    { batch: options.batch, maxBatchSize: 1000 },
  );
}

/** The totalCount of a nested connection for each parent: one grouped count per batch and filter. */
export function countLoaderFamily<F>(
  fetch: (parentIds: number[], filter: F) => Promise<Map<number, number>>,
  options: LoaderOptions,
): (filter: F) => DataLoader<number, number> {
  return loaderFamily(
    (filter: F) =>
      new DataLoader<number, number>(
        async (parentIds) => {
          notifyBatch(parentIds.length);
          const counts = await fetch([...parentIds], filter);
          return parentIds.map((id) => counts.get(id) ?? 0);
        },
        { batch: options.batch, maxBatchSize: 1000 },
      ),
  );
}
