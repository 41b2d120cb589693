import type { Kysely, Migration } from 'kysely';
import { addSortKeyColumn, createSortKeyFunction, reindexOnSortKey } from '../../../../platform/db/vietnamese-order.js';

const SCHEMA = 'ioc';

/** Indicators by name in Vietnamese alphabetical order (issue 18): a stored sort key, filled for existing rows. */
export const vietnameseOrder: Migration = {
  async up(root: Kysely<unknown>) {
    await createSortKeyFunction(root, SCHEMA);
    await addSortKeyColumn(root, SCHEMA, 'indicators', 'name');
    // Owner pages and category filters walk the name order inside their value.
    await reindexOnSortKey(root, SCHEMA, 'indicators', [
      { drop: 'indicators_name_idx', create: 'indicators_name_sort_idx', columns: ['name_sort', 'id'] },
      { drop: 'indicators_owner_idx', create: 'indicators_owner_name_sort_idx', columns: ['owner_id', 'name_sort', 'id'] },
      { drop: 'indicators_category_idx', create: 'indicators_category_name_sort_idx', columns: ['category', 'name_sort', 'id'] },
    ]);
  },
};
