import type { Kysely } from 'kysely';
import { DatasetResourcesRepository } from './dataset-resources.repository.js';
import { DatasetsRepository } from './datasets.repository.js';
import type { OpendataDatabase } from './tables.js';

export type { DatasetResourceRow, DatasetRow } from './tables.js';
export * from './vocabulary.js';
export type { CategoryCount, DatasetWhere } from './datasets.repository.js';
export type { ResourceParentScope } from './dataset-resources.repository.js';

export function opendataRepositories(db: Kysely<OpendataDatabase>) {
  return { datasets: new DatasetsRepository(db), resources: new DatasetResourcesRepository(db) };
}

export type OpendataRepositories = ReturnType<typeof opendataRepositories>;
