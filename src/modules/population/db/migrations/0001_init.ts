import { sql, type Kysely, type Migration } from 'kysely';
import { createFoldFunction, createFoldIndex } from '../../../../platform/db/search.js';

const SCHEMA = 'population';

/**
 * Every column the gateway filters or orders by is indexed, keyset orders as (column, id).
 * `gender` is not: each value is half the rows, so the planner would never use an index on it.
 */
export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await createFoldFunction(root, SCHEMA);

    await db.schema
      .createTable('households')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('ward_id', 'integer', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('head_citizen_id', 'integer')
      .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`member_count >= 0`))
      .execute();
    await db.schema.createIndex('households_ward_idx').on('households').columns(['ward_id', 'id']).execute();
    await db.schema.createIndex('households_code_idx').on('households').columns(['code', 'id']).execute();
    await db.schema.createIndex('households_address_idx').on('households').columns(['address', 'id']).execute();
    await createFoldIndex(root, SCHEMA, 'households', 'address');

    await db.schema
      .createTable('citizens')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('national_id', sql`char(12)`, (c) => c.notNull().unique().check(sql`national_id ~ '^[0-9]{12}$'`))
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull().check(sql`gender in ('MALE', 'FEMALE')`))
      .addColumn('birth_date', 'date', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('ward_id', 'integer', (c) => c.notNull())
      .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('citizens_name_idx').on('citizens').columns(['full_name', 'id']).execute();
    await db.schema.createIndex('citizens_birth_date_idx').on('citizens').columns(['birth_date', 'id']).execute();
    await db.schema.createIndex('citizens_ward_idx').on('citizens').columns(['ward_id', 'id']).execute();
    // A ward's residents by name is the usual officer's view: one index walk at any depth.
    await db.schema.createIndex('citizens_ward_name_idx').on('citizens').columns(['ward_id', 'full_name', 'id']).execute();
    await db.schema.createIndex('citizens_household_idx').on('citizens').columns(['household_id', 'id']).execute();
    await createFoldIndex(root, SCHEMA, 'citizens', 'full_name');
  },
};
