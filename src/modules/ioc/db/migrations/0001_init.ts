import { sql, type Kysely, type Migration } from 'kysely';
import { createFoldFunction, createFoldIndex } from '../../../../platform/db/search.js';

const SCHEMA = 'ioc';

export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await createFoldFunction(root, SCHEMA);

    await db.schema
      .createTable('indicators')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('target', 'numeric')
      .addColumn('target_year', 'integer')
      .addColumn('owner_id', 'integer', (c) => c.notNull())
      .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('PUBLIC', 'INTERNAL')`))
      .addColumn('granularity', 'text', (c) => c.notNull().check(sql`granularity in ('CITY', 'WARD')`))
      .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('MONTHLY', 'YEARLY')`))
      .addColumn('source_note', 'text')
      .addCheckConstraint('indicators_target_year_check', sql`(target is null) = (target_year is null)`)
      .execute();
    await db.schema.createIndex('indicators_name_idx').on('indicators').columns(['name', 'id']).execute();
    await db.schema.createIndex('indicators_owner_idx').on('indicators').columns(['owner_id', 'name', 'id']).execute();
    await db.schema.createIndex('indicators_category_idx').on('indicators').columns(['category', 'name', 'id']).execute();
    await db.schema.createIndex('indicators_visibility_idx').on('indicators').columns(['visibility', 'id']).execute();
    await createFoldIndex(root, SCHEMA, 'indicators', 'name');

    await db.schema
      .createTable('observations')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
      .addColumn('period', 'date', (c) => c.notNull().check(sql`extract(day from period) = 1`))
      .addColumn('ward_id', 'integer')
      .addColumn('value', 'numeric', (c) => c.notNull())
      .execute();
    // One value per indicator, place and period; the city-wide row (null ward) counts as a place.
    await db.schema
      .createIndex('observations_point_key')
      .on('observations')
      .columns(['indicator_id', 'ward_id', 'period'])
      .unique()
      .nullsNotDistinct()
      .execute();
    // The keyset order of an indicator's observations across places (period desc, id desc).
    await db.schema.createIndex('observations_indicator_period_idx').on('observations').columns(['indicator_id', 'period', 'id']).execute();
    await db.schema.createIndex('observations_ward_idx').on('observations').columns(['ward_id', 'period']).execute();
  },
};
