import DataLoader from 'dataloader';
import type { Page, PageArgs } from '../sources/keyset.js';

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
  const loaders = new Map<string, DataLoader<number, Page<Row>>>();
  return (filter, page) => {
    const key = JSON.stringify([filter, page.first, page.after, page.last, page.before]);
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader<number, Page<Row>>(
        async (parentIds) => {
          const pages = await fetch([...parentIds], filter, page);
          return parentIds.map((id) => pages.get(id) ?? EMPTY_PAGE);
        },
        { batch: options.batch, maxBatchSize: 500 },
      );
      loaders.set(key, loader);
    }
    return loader;
  };
}
