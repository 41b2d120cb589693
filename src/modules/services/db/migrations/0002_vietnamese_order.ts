import type { Kysely, Migration } from 'kysely';
import { addSortKeyColumn, createSortKeyFunction, reindexOnSortKey } from '../../../../platform/db/vietnamese-order.js';

const SCHEMA = 'services';

/** Procedures by name in Vietnamese alphabetical order (issue 18): a stored sort key, filled for existing rows. */
export const vietnameseOrder: Migration = {
  async up(root: Kysely<unknown>) {
    await createSortKeyFunction(root, SCHEMA);
    await addSortKeyColumn(root, SCHEMA, 'procedures', 'name');
    await reindexOnSortKey(root, SCHEMA, 'procedures', [
      { drop: 'procedures_name_idx', create: 'procedures_name_sort_idx', columns: ['name_sort', 'id'] },
      // An agency's procedures page by name inside the agency.
      { drop: 'procedures_agency_idx', create: 'procedures_agency_name_sort_idx', columns: ['agency_id', 'name_sort', 'id'] },
    ]);
  },
};
