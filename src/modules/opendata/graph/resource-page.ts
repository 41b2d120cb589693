import type { DatasetResourceRow } from '../db/index.js';
import { pageFromRows, type Keyset, type Page, type PageRequest } from '../../../platform/db/keyset.js';

const RESOURCE_KEYSET: Keyset<DatasetResourceRow> = { name: 'resource:id', columns: ['id'], direction: 'asc' };

/**
 * A page of one dataset's resources, cut from all of them (a dataset has a handful; they come
 * batched for a whole page of datasets in one statement).
 */
export function resourcePage(rows: readonly DatasetResourceRow[], page: PageRequest): Page<DatasetResourceRow> {
  return pageFromRows(rows, RESOURCE_KEYSET, page);
}
