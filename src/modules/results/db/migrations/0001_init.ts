import { sql, type Kysely, type Migration } from 'kysely';
import { checkIn } from '../../../../platform/db/vocabulary.js';
import { HOLDER_KINDS, RESULT_KINDS, RESULT_STATUSES } from '../vocabulary.js';

const SCHEMA = 'results';

/** The digital repository of procedure results (kho kết quả thủ tục hành chính số). */
export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await db.schema
      .createTable('procedure_results')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(checkIn('kind', RESULT_KINDS)))
      .addColumn('issuing_agency_id', 'integer', (c) => c.notNull())
      .addColumn('holder_kind', 'text', (c) => c.notNull().check(checkIn('holder_kind', HOLDER_KINDS)))
      .addColumn('holder_id', 'integer', (c) => c.notNull())
      .addColumn('dossier_id', 'integer', (c) => c.notNull())
      // Millisecond precision, as a JavaScript Date and so a keyset cursor holds it exactly.
      .addColumn('issued_at', 'timestamptz(3)', (c) => c.notNull())
      .addColumn('valid_until', 'timestamptz(3)')
      .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', RESULT_STATUSES)))
      .addColumn('document_sha256', 'text', (c) => c.notNull().check(sql`document_sha256 ~ '^[0-9a-f]{64}$'`))
      .addColumn('holder_name', 'text', (c) => c.notNull())
      .addColumn('holder_national_id', 'text', (c) => c.check(sql`holder_national_id ~ '^[0-9]{12}$'`))
      .addColumn('holder_birth_date', 'date')
      .addColumn('holder_business_code', 'text')
      .addCheckConstraint('procedure_results_valid_after_issued', sql`valid_until > issued_at`)
      // The holder data printed is a citizen's (national id, birth date) or a business's (its code).
      .addCheckConstraint(
        'procedure_results_citizen_holder_data',
        sql`(holder_kind = 'CITIZEN') = (holder_national_id is not null and holder_birth_date is not null)`,
      )
      .addCheckConstraint('procedure_results_business_holder_data', sql`(holder_kind = 'BUSINESS') = (holder_business_code is not null)`)
      .execute();
    // Unique indexes rather than constraints, as the other sources' codes.
    await db.schema.createIndex('procedure_results_number_key').on('procedure_results').column('number').unique().execute();
    // One result per dossier: Dossier.result is a lookup by dossier id.
    await db.schema.createIndex('procedure_results_dossier_key').on('procedure_results').column('dossier_id').unique().execute();
    await db.schema.createIndex('procedure_results_issued_idx').on('procedure_results').columns(['issued_at desc', 'id desc']).execute();
    await db.schema
      .createIndex('procedure_results_agency_issued_idx')
      .on('procedure_results')
      .columns(['issuing_agency_id', 'issued_at desc', 'id desc'])
      .execute();
    await db.schema
      .createIndex('procedure_results_holder_issued_idx')
      .on('procedure_results')
      .columns(['holder_kind', 'holder_id', 'issued_at desc', 'id desc'])
      .execute();
  },
};
