import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { DATASET_ACCESS_LEVELS, DATASET_LICENCES, DATASET_ORDERS, RESOURCE_FORMATS, UPDATE_FREQUENCIES } from '../db/index.js';

export type DatasetAccessLevel = EnumValue<typeof DatasetAccessLevel>;
export const DatasetAccessLevel = vocabularyEnum(DATASET_ACCESS_LEVELS, {
  name: 'DatasetAccessLevel',
  description: 'PUBLIC: open to everyone; RESTRICTED: shared only with the publishing agency, analysts and administrators.',
  valuesConfig: {
    PUBLIC: { description: 'Open to every caller.' },
    RESTRICTED: { description: 'Shared only with the publishing agency, analysts and administrators.' },
  },
});

/** GraphQL names cannot hold "-" or ".": the names are derived (CC_BY_4_0), the values are the licence identifiers stored in the catalogue. */
export type DatasetLicence = EnumValue<typeof DatasetLicence>;
export const DatasetLicence = vocabularyEnum(DATASET_LICENCES, {
  name: 'DatasetLicence',
  description: 'CC_BY_4_0 (CC-BY-4.0), ODC_BY (ODC-BY), CC0_1_0 (CC0-1.0), ODBL_1_0 (ODbL-1.0), GOV_OPEN (the government open licence).',
  valuesConfig: {
    CC_BY_4_0: { description: 'Creative Commons Attribution 4.0 (CC-BY-4.0).' },
    ODC_BY: { description: 'Open Data Commons Attribution License (ODC-BY).' },
    CC0_1_0: { description: 'Creative Commons Zero 1.0, public domain dedication (CC0-1.0).' },
    ODBL_1_0: { description: 'Open Data Commons Open Database License 1.0 (ODbL-1.0).' },
    GOV_OPEN: { description: 'The government open data licence (GOV-OPEN).' },
  },
});

export type DatasetUpdateFrequency = EnumValue<typeof DatasetUpdateFrequency>;
export const DatasetUpdateFrequency = vocabularyEnum(UPDATE_FREQUENCIES, {
  name: 'DatasetUpdateFrequency',
  description: 'How often the publisher updates the dataset.',
  valuesConfig: {
    DAILY: { description: 'Every day.' },
    WEEKLY: { description: 'Every week.' },
    MONTHLY: { description: 'Every month.' },
    QUARTERLY: { description: 'Every quarter.' },
    YEARLY: { description: 'Every year.' },
    IRREGULAR: { description: 'When there is something new, on no fixed schedule.' },
  },
});

export type DatasetResourceFormat = EnumValue<typeof DatasetResourceFormat>;
export const DatasetResourceFormat = vocabularyEnum(RESOURCE_FORMATS, {
  name: 'DatasetResourceFormat',
  description: 'File format of a resource; API is a live endpoint.',
  valuesConfig: {
    CSV: { description: 'Comma-separated values.' },
    JSON: { description: 'A JSON file.' },
    XLSX: { description: 'An Excel workbook.' },
    GEOJSON: { description: 'Geographic features as GeoJSON.' },
    PDF: { description: 'A PDF document.' },
    API: { description: 'A live API endpoint rather than a file.' },
  },
});

export type DatasetOrder = EnumValue<typeof DatasetOrder>;
export const DatasetOrder = vocabularyEnum(DATASET_ORDERS, {
  name: 'DatasetOrder',
  description: 'TITLE ascending; UPDATED_AT most recently updated first; DOWNLOADS most downloaded first.',
  valuesConfig: {
    TITLE: { description: 'By title, A to Z.' },
    UPDATED_AT: { description: 'By last update, most recent first.' },
    DOWNLOADS: { description: 'By downloads, most downloaded first.' },
  },
});
