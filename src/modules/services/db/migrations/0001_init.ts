import { sql, type Kysely, type Migration } from 'kysely';
import { createFoldFunction, createFoldIndex } from '../../../../platform/db/search.js';

const SCHEMA = 'services';

export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await createFoldFunction(root, SCHEMA);

    await db.schema
      .createTable('procedures')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'integer', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('service_level', 'text', (c) => c.notNull().check(sql`service_level in ('FULL_ONLINE', 'PARTIAL_ONLINE')`))
      .addColumn('processing_days', 'integer', (c) => c.notNull().check(sql`processing_days > 0`))
      .addColumn('fee', 'numeric(12, 0)', (c) => c.notNull().defaultTo(0).check(sql`fee >= 0`))
      .execute();
    await db.schema.createIndex('procedures_agency_idx').on('procedures').columns(['agency_id', 'name', 'id']).execute();
    await db.schema.createIndex('procedures_name_idx').on('procedures').columns(['name', 'id']).execute();
    await createFoldIndex(root, SCHEMA, 'procedures', 'name');

    await db.schema
      .createTable('dossiers')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('agency_id', 'integer', (c) => c.notNull())
      .addColumn('applicant_kind', 'text', (c) => c.notNull().check(sql`applicant_kind in ('CITIZEN', 'BUSINESS')`))
      .addColumn('applicant_id', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('ONLINE', 'COUNTER', 'POST')`))
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED', 'COMPLETED', 'REJECTED', 'WITHDRAWN')`),
      )
      // Millisecond precision, as a JavaScript Date and so a keyset cursor holds it exactly.
      .addColumn('submitted_at', 'timestamptz(3)', (c) => c.notNull())
      .addColumn('due_at', 'timestamptz(3)', (c) => c.notNull())
      .addColumn('completed_at', 'timestamptz(3)')
      .addColumn('ward_id', 'integer', (c) => c.notNull())
      .addCheckConstraint('dossiers_due_after_submitted', sql`due_at >= submitted_at`)
      .addCheckConstraint('dossiers_completed_after_submitted', sql`completed_at >= submitted_at`)
      // Overdue and on-time figures read completed_at: it is set exactly when the dossier is closed.
      .addCheckConstraint(
        'dossiers_completed_when_closed',
        sql`(completed_at is null) = (status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'))`,
      )
      .execute();
    // A unique index rather than a constraint, so that bulk loads can drop and rebuild it.
    await db.schema.createIndex('dossiers_code_key').on('dossiers').column('code').unique().execute();
    await db.schema.createIndex('dossiers_submitted_idx').on('dossiers').columns(['submitted_at desc', 'id desc']).execute();
    await db.schema.createIndex('dossiers_agency_submitted_idx').on('dossiers').columns(['agency_id', 'submitted_at desc', 'id desc']).execute();
    await db.schema.createIndex('dossiers_agency_due_idx').on('dossiers').columns(['agency_id', 'due_at', 'id']).execute();
    await db.schema
      .createIndex('dossiers_applicant_idx')
      .on('dossiers')
      .columns(['applicant_kind', 'applicant_id', 'submitted_at desc', 'id desc'])
      .execute();
    await db.schema.createIndex('dossiers_procedure_idx').on('dossiers').columns(['procedure_id', 'submitted_at desc', 'id desc']).execute();
    await db.schema.createIndex('dossiers_status_idx').on('dossiers').columns(['status', 'submitted_at desc', 'id desc']).execute();
    await db.schema.createIndex('dossiers_ward_idx').on('dossiers').columns(['ward_id', 'submitted_at desc', 'id desc']).execute();
    await db.schema.createIndex('dossiers_due_idx').on('dossiers').columns(['due_at', 'id']).execute();
    // Open dossiers are about 1% of all: worklists (open, due soonest) and the open-and-overdue
    // search read only these.
    await db.schema.createIndex('dossiers_open_due_idx').on('dossiers').columns(['due_at', 'id']).where(sql<boolean>`completed_at is null`).execute();
    await db.schema
      .createIndex('dossiers_open_agency_due_idx')
      .on('dossiers')
      .columns(['agency_id', 'due_at', 'id'])
      .where(sql<boolean>`completed_at is null`)
      .execute();

    // Without it the planner expects a million months and sorts instead of hashing a few dozen.
    await sql`create statistics ${sql.id(SCHEMA, 'dossiers_month_stats')}
      on (date_trunc('month', submitted_at at time zone 'Asia/Ho_Chi_Minh')) from ${sql.id(SCHEMA, 'dossiers')}`.execute(root);

    await db.schema
      .createTable('dossier_events')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq > 0`))
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('SUBMITTED', 'ACCEPTED', 'ASSIGNED', 'ADDITIONAL_INFO_REQUESTED', 'RESUBMITTED',
          'APPROVED', 'REJECTED', 'RESULT_RETURNED', 'WITHDRAWN')`),
      )
      .addColumn('occurred_at', 'timestamptz(3)', (c) => c.notNull())
      .addColumn('agency_id', 'integer', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dossier_events_dossier_seq_key').on('dossier_events').columns(['dossier_id', 'seq']).unique().execute();
  },
};
