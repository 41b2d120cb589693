import type { Kysely, Migration } from 'kysely';
import { addSortKeyColumn, createSortKeyFunction, reindexOnSortKey } from '../../../../platform/db/vietnamese-order.js';

const SCHEMA = 'opendata';

/** Datasets by title in Vietnamese alphabetical order (issue 18): a stored sort key, filled for existing rows. */
export const vietnameseOrder: Migration = {
  async up(root: Kysely<unknown>) {
    await createSortKeyFunction(root, SCHEMA);
    await addSortKeyColumn(root, SCHEMA, 'datasets', 'title');
    // Publisher pages and category filters walk the title order inside their value.
    await reindexOnSortKey(root, SCHEMA, 'datasets', [
      { drop: 'datasets_title_idx', create: 'datasets_title_sort_idx', columns: ['title_sort', 'id'] },
      { drop: 'datasets_publisher_idx', create: 'datasets_publisher_title_sort_idx', columns: ['publisher_id', 'title_sort', 'id'] },
      { drop: 'datasets_category_idx', create: 'datasets_category_title_sort_idx', columns: ['category', 'title_sort', 'id'] },
    ]);
  },
};
