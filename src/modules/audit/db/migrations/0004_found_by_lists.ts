import { sql, type Kysely, type Migration } from 'kysely';

/**
 * An entry says how its subject was found (issue 14, access-log/v3): `found_by` lists the fields a
 * look-up, filter, ordering or search used, beside what was read of the person, so a person read
 * on a page ordered by a personal field is one entry, not a read and a FOUND_BY entry. Entries
 * already written keep null there: they were committed in the v2 form, which has no such list.
 */
export const foundByLists: Migration = {
  async up(root: Kysely<unknown>) {
    await sql`alter table audit.access_log add column found_by text[]`.execute(root);
  },
};
