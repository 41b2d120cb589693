import { sql, type Kysely, type Migration } from 'kysely';
import { createFoldFunction, createFoldIndex } from '../../../../platform/db/search.js';

const SCHEMA = 'opendata';

export const init: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    await createFoldFunction(root, SCHEMA);

    await db.schema
      .createTable('datasets')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('licence', 'text', (c) => c.notNull())
      .addColumn('publisher_id', 'integer', (c) => c.notNull())
      .addColumn('access_level', 'text', (c) => c.notNull().check(sql`access_level in ('PUBLIC', 'RESTRICTED')`))
      .addColumn('update_frequency', 'text', (c) =>
        c.notNull().check(sql`update_frequency in ('DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY', 'IRREGULAR')`),
      )
      .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0).check(sql`downloads >= 0`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    // One index per keyset order, and per filter that narrows a list (publisher pages walk the
    // title order inside one publisher).
    await db.schema.createIndex('datasets_title_idx').on('datasets').columns(['title', 'id']).execute();
    await db.schema.createIndex('datasets_updated_idx').on('datasets').columns(['updated_at', 'id']).execute();
    await db.schema.createIndex('datasets_downloads_idx').on('datasets').columns(['downloads', 'id']).execute();
    await db.schema.createIndex('datasets_publisher_idx').on('datasets').columns(['publisher_id', 'title', 'id']).execute();
    await db.schema.createIndex('datasets_category_idx').on('datasets').columns(['category', 'title', 'id']).execute();
    await db.schema.createIndex('datasets_licence_idx').on('datasets').columns(['licence', 'id']).execute();
    await db.schema.createIndex('datasets_access_idx').on('datasets').columns(['access_level', 'id']).execute();
    await db.schema.createIndex('datasets_tags_gin').on('datasets').using('gin').column('tags').execute();
    await createFoldIndex(root, SCHEMA, 'datasets', 'title');

    await db.schema
      .createTable('dataset_resources')
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('dataset_id', 'integer', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('CSV', 'JSON', 'XLSX', 'GeoJSON', 'PDF', 'API')`))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.check(sql`size_bytes >= 0`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dataset_resources_dataset_idx').on('dataset_resources').columns(['dataset_id', 'id']).execute();
    // Serves the "has a resource of this format" filter (EXISTS probes by format and dataset).
    await db.schema.createIndex('dataset_resources_format_idx').on('dataset_resources').columns(['format', 'dataset_id']).execute();
  },
};
