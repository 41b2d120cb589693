import { sql, type Kysely } from 'kysely';
import type { DatasetResourceRow, OpendataDatabase } from './tables.js';
import type { DatasetAccessLevel } from './vocabulary.js';

/** The caller's dataset row scope (as in DatasetWhere): absent levels mean every dataset. */
export interface ResourceParentScope {
  accessLevels?: readonly DatasetAccessLevel[] | null;
  ownAgencyId?: number | null;
}

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

  /**
   * Resources by id whose dataset is in the caller's scope, in ONE statement: a resource of a
   * hidden dataset costs exactly what a missing one does (no second query tells them apart).
   */
  async findByIdsInScope(ids: readonly number[], scope: ResourceParentScope): Promise<DatasetResourceRow[]> {
    if (ids.length === 0) return [];
    let q = this.db.selectFrom('dataset_resources').selectAll('dataset_resources').where('dataset_resources.id', '=', sql<number>`any(${[...ids]}::int[])`);
    if (scope.accessLevels) {
      const levels = scope.accessLevels;
      const own = scope.ownAgencyId;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('datasets as d')
            .select(sql`1`.as('one'))
            .whereRef('d.id', '=', 'dataset_resources.dataset_id')
            .where(
              own == null
                ? sql<boolean>`d.access_level = any(${[...levels]}::text[])`
                : sql<boolean>`(d.access_level = any(${[...levels]}::text[]) or d.publisher_id = ${own})`,
            ),
        ),
      );
    }
    return q.execute();
  }
}
