import type { Kysely, Migration } from 'kysely';
import { addSortKeyColumn, createSortKeyFunction, reindexOnSortKey } from '../../../../platform/db/vietnamese-order.js';

const SCHEMA = 'reference';

/** Units and agencies by name in Vietnamese alphabetical order (issue 18): stored sort keys, filled for existing rows. */
export const vietnameseOrder: Migration = {
  async up(root: Kysely<unknown>) {
    await createSortKeyFunction(root, SCHEMA);
    await addSortKeyColumn(root, SCHEMA, 'administrative_units', 'name');
    await reindexOnSortKey(root, SCHEMA, 'administrative_units', [
      { drop: 'administrative_units_name_idx', create: 'administrative_units_name_sort_idx', columns: ['name_sort', 'id'] },
    ]);
    await addSortKeyColumn(root, SCHEMA, 'agencies', 'name');
    await reindexOnSortKey(root, SCHEMA, 'agencies', [
      { drop: 'agencies_name_idx', create: 'agencies_name_sort_idx', columns: ['name_sort', 'id'] },
    ]);
  },
};
