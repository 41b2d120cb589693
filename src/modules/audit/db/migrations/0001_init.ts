import { sql, type Kysely, type Migration } from 'kysely';
import { GENESIS_HASH } from '../chain.js';

const SCHEMA = 'audit';

export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);

    await db.schema
      .createTable('access_log')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('seq', 'bigint', (c) => c.notNull().unique())
      .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('actor_subject', 'text', (c) => c.notNull())
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('actor_agency', 'text')
      .addColumn('client_app', 'text')
      .addColumn('operation_name', 'text')
      .addColumn('document_hash', 'text')
      .addColumn('purpose', 'text')
      .addColumn('case_reference', 'text')
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('fields', sql`text[]`, (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('GRANTED', 'MASKED', 'DENIED')`))
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    // Each list filter walks its own index in the id-descending keyset order.
    await db.schema.createIndex('access_log_subject_idx').on('access_log').columns(['subject_type', 'subject_id', 'id']).execute();
    await db.schema.createIndex('access_log_actor_idx').on('access_log').columns(['actor_subject', 'id']).execute();
    await db.schema.createIndex('access_log_agency_idx').on('access_log').columns(['actor_agency', 'id']).execute();
    await db.schema.createIndex('access_log_occurred_idx').on('access_log').columns(['occurred_at', 'id']).execute();
    await db.schema.createIndex('access_log_outcome_idx').on('access_log').columns(['outcome', 'id']).execute();
    await db.schema.createIndex('access_log_purpose_idx').on('access_log').columns(['purpose', 'id']).execute();

    await db.schema
      .createTable('access_log_head')
      .addColumn('singleton', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`singleton`))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit.access_log_head (seq, hash) values (0, ${GENESIS_HASH})`.execute(root);

    // Append-only, enforced by the database for every client, not only by the gateway.
    await sql`create function audit.reject_access_log_change() returns trigger language plpgsql as $$
      begin
        raise exception 'access_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end $$`.execute(root);
    await sql`create trigger access_log_append_only before update or delete on audit.access_log
      for each row execute function audit.reject_access_log_change()`.execute(root);
    await sql`create trigger access_log_no_truncate before truncate on audit.access_log
      for each statement execute function audit.reject_access_log_change()`.execute(root);
    // The head only moves forward with appends; removing it would hide a cut tail.
    await sql`create function audit.reject_head_removal() returns trigger language plpgsql as $$
      begin
        raise exception 'access_log_head cannot be removed: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end $$`.execute(root);
    await sql`create trigger access_log_head_kept before delete on audit.access_log_head
      for each row execute function audit.reject_head_removal()`.execute(root);
    await sql`create trigger access_log_head_no_truncate before truncate on audit.access_log_head
      for each statement execute function audit.reject_head_removal()`.execute(root);
  },
};
