import { registerEnumType } from 'type-graphql';

export enum DatasetAccessLevel {
  PUBLIC = 'PUBLIC',
  RESTRICTED = 'RESTRICTED',
}
registerEnumType(DatasetAccessLevel, {
  name: 'DatasetAccessLevel',
  description: 'PUBLIC: open to everyone; RESTRICTED: shared only with the publishing agency, analysts and administrators.',
});

/** GraphQL names cannot hold "-" or ".": the values are the licence identifiers stored in the catalogue. */
export enum DatasetLicence {
  CC_BY_4_0 = 'CC-BY-4.0',
  ODC_BY = 'ODC-BY',
  CC0_1_0 = 'CC0-1.0',
  ODBL_1_0 = 'ODbL-1.0',
  GOV_OPEN = 'GOV-OPEN',
}
registerEnumType(DatasetLicence, {
  name: 'DatasetLicence',
  description: 'CC_BY_4_0 (CC-BY-4.0), ODC_BY (ODC-BY), CC0_1_0 (CC0-1.0), ODBL_1_0 (ODbL-1.0), GOV_OPEN (the government open licence).',
});

export enum DatasetUpdateFrequency {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  YEARLY = 'YEARLY',
  IRREGULAR = 'IRREGULAR',
}
registerEnumType(DatasetUpdateFrequency, { name: 'DatasetUpdateFrequency', description: 'How often the publisher updates the dataset.' });

export enum DatasetResourceFormat {
  CSV = 'CSV',
  JSON = 'JSON',
  XLSX = 'XLSX',
  GEOJSON = 'GeoJSON',
  PDF = 'PDF',
  API = 'API',
}
registerEnumType(DatasetResourceFormat, { name: 'DatasetResourceFormat', description: 'File format of a resource; API is a live endpoint.' });

export enum DatasetOrder {
  TITLE = 'TITLE',
  UPDATED_AT = 'UPDATED_AT',
  DOWNLOADS = 'DOWNLOADS',
}
registerEnumType(DatasetOrder, { name: 'DatasetOrder', description: 'TITLE ascending; UPDATED_AT most recently updated first; DOWNLOADS most downloaded first.' });
