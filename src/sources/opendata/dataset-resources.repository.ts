import { sql, type Kysely } from 'kysely';
import type { DatasetResourceRow, OpendataDatabase } from './tables.js';

export class DatasetResourcesRepository {
  constructor(private readonly db: Kysely<OpendataDatabase>) {}

  /** The resources of a batch of datasets in one statement, by dataset then id. */
  async findByDatasetIds(datasetIds: readonly number[]): Promise<DatasetResourceRow[]> {
    if (datasetIds.length === 0) return [];
    return this.db
      .selectFrom('dataset_resources')
      .selectAll()
      .where('dataset_id', '=', sql<number>`any(${[...datasetIds]}::int[])`)
      .orderBy('dataset_id')
      .orderBy('id')
      .execute();
  }

  async findByIds(ids: readonly number[]): Promise<DatasetResourceRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('dataset_resources').selectAll().where('id', '=', sql<number>`any(${[...ids]}::int[])`).execute();
  }
}
