import type { Kysely, Migration } from 'kysely';
import { addSortKeyColumn, createSortKeyFunction, reindexOnSortKey } from '../../../../platform/db/vietnamese-order.js';

const SCHEMA = 'business';

/** Businesses by name in Vietnamese alphabetical order (issue 18): a stored sort key, filled for existing rows. */
export const vietnameseOrder: Migration = {
  async up(root: Kysely<unknown>) {
    await createSortKeyFunction(root, SCHEMA);
    await addSortKeyColumn(root, SCHEMA, 'businesses', 'name');
    await reindexOnSortKey(root, SCHEMA, 'businesses', [
      { drop: 'businesses_name_idx', create: 'businesses_name_sort_idx', columns: ['name_sort', 'id'] },
    ]);
  },
};
