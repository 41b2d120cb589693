import { sql, type Kysely, type Migration } from 'kysely';
import { createFoldFunction, createFoldIndex } from '../../../../platform/db/search.js';

const SCHEMA = 'reference';

export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await createFoldFunction(root, SCHEMA);

    await db.schema
      .createTable('administrative_units')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('CITY', 'DISTRICT', 'WARD')`))
      .addColumn('designation', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'integer', (c) => c.references('administrative_units.id'))
      .addColumn('population', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('administrative_units_parent_idx').on('administrative_units').columns(['parent_id', 'id']).execute();
    await db.schema.createIndex('administrative_units_level_idx').on('administrative_units').columns(['level', 'id']).execute();
    await db.schema.createIndex('administrative_units_name_idx').on('administrative_units').columns(['name', 'id']).execute();
    await createFoldIndex(root, SCHEMA, 'administrative_units', 'name');

    await db.schema
      .createTable('agencies')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('DEPARTMENT', 'DISTRICT_COMMITTEE', 'CENTRE')`))
      .addColumn('unit_id', 'integer', (c) => c.notNull().references('administrative_units.id'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('website', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agencies_unit_idx').on('agencies').columns(['unit_id', 'id']).execute();
    await db.schema.createIndex('agencies_name_idx').on('agencies').columns(['name', 'id']).execute();
    await createFoldIndex(root, SCHEMA, 'agencies', 'name');
  },
};
