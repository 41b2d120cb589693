import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Look-ups, filters, orderings, searches and counts on personal fields are disclosures too: two
 * outcomes join the check constraint (FOUND_BY, COUNTED_BY), and searched values are entries of
 * their own (subject_type 'CRITERION'), which the citizen's view finds by their keyed hash.
 */
export const foundBy: Migration = {
  async up(root: Kysely<unknown>) {
    // The constraint was declared on the column in 0001: PostgreSQL named it <table>_<column>_check.
    await sql`alter table audit.access_log drop constraint access_log_outcome_check`.execute(root);
    await sql`alter table audit.access_log add constraint access_log_outcome_check
      check (outcome in ('GRANTED', 'MASKED', 'DENIED', 'FOUND_BY', 'COUNTED_BY'))`.execute(root);
  },
};
