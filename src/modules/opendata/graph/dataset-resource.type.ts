import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { DatasetResourceRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import type { FieldColumns } from '../../../platform/relay/selection.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { DatasetResourceFormat } from './opendata.enums.js';

@ObjectType('DatasetResource', { implements: Node, description: 'A downloadable file or live API of a dataset.' })
export class DatasetResource extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  datasetId: number;

  @Field(() => String, { description: 'Name shown on the portal, in Vietnamese, e.g. "Dữ liệu định dạng CSV".' })
  name: string;

  @Field(() => DatasetResourceFormat, { description: 'File format, or API for a live endpoint.' })
  format: DatasetResourceFormat;

  @Field(() => URLResolver, { description: 'Where to download the file or call the API.' })
  url: string;

  @Field(() => Float, { nullable: true, description: 'Size in bytes (a whole number; Float because files may pass 2^31 bytes); null for a live API.' })
  sizeBytes: number | null;

  @Field(() => DateTimeResolver, { description: 'When the resource was added to the dataset.' })
  createdAt: Date;

  static from(row: DatasetResourceRow): DatasetResource {
    return Object.assign(new DatasetResource(), {
      id: toGlobalId('DatasetResource', row.id),
      rowId: row.id,
      datasetId: row.dataset_id,
      name: row.name,
      format: row.format,
      url: row.url,
      // == null: a row fetched without this column (the field not asked) has none.
      sizeBytes: row.size_bytes == null ? null : Number(row.size_bytes),
      createdAt: row.created_at,
    });
  }
}

/** The columns each field of DatasetResource is made from (its relation: the key it goes by), for the pages that fetch only those. */
export const DATASET_RESOURCE_COLUMNS: FieldColumns<DatasetResourceRow> = {
  id: ['id'],
  name: ['name'],
  format: ['format'],
  url: ['url'],
  sizeBytes: ['size_bytes'],
  createdAt: ['created_at'],
  dataset: ['dataset_id'],
};

export const DatasetResourceConnection = ConnectionType('DatasetResource', DatasetResource);
export type DatasetResourceConnection = InstanceType<typeof DatasetResourceConnection>;
