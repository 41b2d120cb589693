import type { DatasetResourceRow } from '../db/index.js';
import { finishPage, pageFromRows, pageWindow, type Keyset, type Page, type PageRequest, type PageWindow } from '../../../platform/db/keyset.js';

const RESOURCE_KEYSET: Keyset<DatasetResourceRow> = { name: 'resource:id', columns: ['id'], direction: 'asc' };

/**
 * The windows of pages without a cursor, by first/last: the same for every dataset of a page (a
 * catalogue page asks `resources(first: 5)` of each), and making one builds its SQL fragments,
 * which a page cut in memory never sends. Arguments pageWindow refuses are never kept.
 */
const cursorless = new Map<string, PageWindow>();
const MAX_WINDOWS = 256;

/**
 * A page of one dataset's resources, cut from all of them (a dataset has a handful; they come
 * batched for a whole page of datasets in one statement), in id order.
 */
export function resourcePage(rows: readonly DatasetResourceRow[], page: PageRequest): Page<DatasetResourceRow> {
  if (page.after != null || page.before != null) return pageFromRows(rows, RESOURCE_KEYSET, page);
  // No bound: pageFromRows's page, the window's first (or last) rows.
  const key = `${page.first}|${page.last}`;
  let window = cursorless.get(key);
  if (!window) {
    window = pageWindow(RESOURCE_KEYSET, page);
    if (cursorless.size < MAX_WINDOWS) cursorless.set(key, window);
  }
  const fetched = window.backward ? rows.slice(-window.limit).reverse() : rows.slice(0, window.limit);
  return finishPage(RESOURCE_KEYSET, window, fetched, page);
}
