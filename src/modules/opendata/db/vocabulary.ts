import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The open-data source's vocabularies, each written once: the TypeScript types below, the GraphQL
 * enums (graph/opendata.enums.ts) and the check constraints (checked against `OPENDATA_CHECKS` by
 * a test) are built from these arrays. Values are stored as published (`CC-BY-4.0`, `GeoJSON`);
 * their GraphQL names are derived (`CC_BY_4_0`, `GEOJSON`).
 */
export const DATASET_ACCESS_LEVELS = ['PUBLIC', 'RESTRICTED'] as const;
export type DatasetAccessLevel = (typeof DATASET_ACCESS_LEVELS)[number];

/** Not checked by the database (the catalogue's column predates the check constraints): the API and the seed hold to it. */
export const DATASET_LICENCES = ['CC-BY-4.0', 'ODC-BY', 'CC0-1.0', 'ODbL-1.0', 'GOV-OPEN'] as const;
export type DatasetLicence = (typeof DATASET_LICENCES)[number];

export const UPDATE_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY', 'IRREGULAR'] as const;
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];

export const RESOURCE_FORMATS = ['CSV', 'JSON', 'XLSX', 'GeoJSON', 'PDF', 'API'] as const;
export type ResourceFormat = (typeof RESOURCE_FORMATS)[number];

export const DATASET_ORDERS = ['TITLE', 'UPDATED_AT', 'DOWNLOADS'] as const;
export type DatasetOrder = (typeof DATASET_ORDERS)[number];

export const OPENDATA_CHECKS: readonly VocabularyCheck[] = [
  { table: 'datasets', constraint: 'datasets_access_level_check', column: 'access_level', values: DATASET_ACCESS_LEVELS },
  { table: 'datasets', constraint: 'datasets_update_frequency_check', column: 'update_frequency', values: UPDATE_FREQUENCIES },
  { table: 'dataset_resources', constraint: 'dataset_resources_format_check', column: 'format', values: RESOURCE_FORMATS },
];
