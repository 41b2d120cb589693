import type { Kysely, Migration } from 'kysely';
import { addSortKeyColumn, createSortKeyFunction, reindexOnSortKey } from '../../../../platform/db/vietnamese-order.js';

const SCHEMA = 'population';

/**
 * Citizens by name and households by address in Vietnamese alphabetical order (issue 18):
 * stored sort keys, filled for existing rows; a ward's residents by name keep their one index walk.
 */
export const vietnameseOrder: Migration = {
  async up(root: Kysely<unknown>) {
    await createSortKeyFunction(root, SCHEMA);
    await addSortKeyColumn(root, SCHEMA, 'citizens', 'full_name');
    await reindexOnSortKey(root, SCHEMA, 'citizens', [
      { drop: 'citizens_name_idx', create: 'citizens_name_sort_idx', columns: ['full_name_sort', 'id'] },
      { drop: 'citizens_ward_name_idx', create: 'citizens_ward_name_sort_idx', columns: ['ward_id', 'full_name_sort', 'id'] },
    ]);
    await addSortKeyColumn(root, SCHEMA, 'households', 'address');
    await reindexOnSortKey(root, SCHEMA, 'households', [
      { drop: 'households_address_idx', create: 'households_address_sort_idx', columns: ['address_sort', 'id'] },
    ]);
  },
};
