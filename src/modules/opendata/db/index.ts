import type { Kysely } from 'kysely';
import { DatasetResourcesRepository } from './dataset-resources.repository.js';
import { DatasetsRepository } from './datasets.repository.js';
import type { OpendataDatabase } from './tables.js';

export type {
  DatasetAccessLevel,
  DatasetLicence,
  DatasetResourceRow,
  DatasetRow,
  ResourceFormat,
  UpdateFrequency,
} from './tables.js';
export type { CategoryCount, DatasetFilter, DatasetOrder } from './datasets.repository.js';

export function opendataRepositories(db: Kysely<OpendataDatabase>) {
  return { datasets: new DatasetsRepository(db), resources: new DatasetResourcesRepository(db) };
}

export type OpendataRepositories = ReturnType<typeof opendataRepositories>;
