import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { DatasetAccessLevel, DatasetLicence, ResourceFormat, UpdateFrequency } from './vocabulary.js';

export type { DatasetAccessLevel, DatasetLicence, ResourceFormat, UpdateFrequency } from './vocabulary.js';

export interface DatasetsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  /** `title` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the TITLE keyset walks. */
  title_sort: GeneratedAlways<string>;
  description: string;
  category: string;
  tags: string[];
  licence: DatasetLicence;
  /** An agency of the reference source (no foreign key: another database). */
  publisher_id: number;
  access_level: DatasetAccessLevel;
  update_frequency: UpdateFrequency;
  downloads: number;
  created_at: Date;
  updated_at: Date;
}

export interface DatasetResourcesTable {
  id: Generated<number>;
  dataset_id: number;
  name: string;
  format: ResourceFormat;
  url: string;
  /** Unknown for live APIs. */
  size_bytes: number | null;
  created_at: Date;
}

export interface OpendataDatabase {
  datasets: DatasetsTable;
  dataset_resources: DatasetResourcesTable;
}

export type DatasetRow = Selectable<DatasetsTable>;
export type DatasetResourceRow = Selectable<DatasetResourcesTable>;
