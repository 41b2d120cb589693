import { sql, type Kysely, type Migration } from 'kysely';
import { createFoldFunction, createFoldIndex } from '../../../../platform/db/search.js';

const SCHEMA = 'business';

/** Every filter and keyset order has an index; keyset orders as (column, id). */
export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await createFoldFunction(root, SCHEMA);

    await db.schema
      .createTable('businesses')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ENTERPRISE', 'HOUSEHOLD_BUSINESS')`))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('legal_form', 'text', (c) =>
        c.notNull().check(sql`legal_form in ('LLC_ONE_MEMBER', 'LLC_MULTI_MEMBER', 'JOINT_STOCK', 'PRIVATE', 'PARTNERSHIP', 'HOUSEHOLD')`),
      )
      .addColumn('industry_code', 'text', (c) => c.notNull().check(sql`industry_code ~ '^[0-9]{4}$'`))
      .addColumn('industry_name', 'text', (c) => c.notNull())
      .addColumn('digital_tech', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ACTIVE', 'SUSPENDED', 'DISSOLVED')`))
      .addColumn('registered_on', 'date', (c) => c.notNull())
      .addColumn('charter_capital', 'numeric(18, 0)', (c) => c.check(sql`charter_capital >= 0`))
      .addColumn('charter_capital_sort', 'numeric(18, 0)', (c) => c.notNull().generatedAlwaysAs(sql`coalesce(charter_capital, -1)`).stored())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('ward_id', 'integer', (c) => c.notNull())
      .addColumn('legal_representative_id', 'integer', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('website', 'text')
      // The household form belongs to household businesses only, and they are never digital-tech enterprises.
      .addCheckConstraint('businesses_kind_form_check', sql`(kind = 'HOUSEHOLD_BUSINESS') = (legal_form = 'HOUSEHOLD')`)
      .addCheckConstraint('businesses_digital_kind_check', sql`not digital_tech or kind = 'ENTERPRISE'`)
      .execute();
    await db.schema.createIndex('businesses_name_idx').on('businesses').columns(['name', 'id']).execute();
    await db.schema.createIndex('businesses_registered_on_idx').on('businesses').columns(['registered_on', 'id']).execute();
    await db.schema.createIndex('businesses_capital_idx').on('businesses').columns(['charter_capital_sort', 'id']).execute();
    await db.schema.createIndex('businesses_ward_idx').on('businesses').columns(['ward_id', 'id']).execute();
    await db.schema.createIndex('businesses_representative_idx').on('businesses').columns(['legal_representative_id', 'id']).execute();
    await db.schema.createIndex('businesses_kind_idx').on('businesses').columns(['kind', 'id']).execute();
    await db.schema.createIndex('businesses_status_idx').on('businesses').columns(['status', 'id']).execute();
    await db.schema.createIndex('businesses_legal_form_idx').on('businesses').columns(['legal_form', 'id']).execute();
    await db.schema.createIndex('businesses_digital_idx').on('businesses').column('id').where(sql.ref('digital_tech'), '=', true).execute();
    // text_pattern_ops serves the prefix match (`like '62%'`) whatever the database's collation.
    await sql`create index businesses_industry_idx on ${sql.id(SCHEMA, 'businesses')} (industry_code text_pattern_ops, id)`.execute(root);
    await createFoldIndex(root, SCHEMA, 'businesses', 'name');
  },
};
