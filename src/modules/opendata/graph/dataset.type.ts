import { DateTimeResolver, NonNegativeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { DatasetResourceRow, DatasetRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import type { FieldColumns } from '../../../platform/relay/selection.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { DatasetAccessLevel, DatasetLicence, DatasetUpdateFrequency } from './opendata.enums.js';

@ObjectType('Dataset', { implements: Node, description: "A dataset of the city's open-data portal." })
export class Dataset extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  /** Row ids, for relations; not exposed. */
  rowId: number;
  publisherId: number;
  /**
   * Its resources when they came in its page's statement, with the columns that page's
   * document asks of them only: this object is reached through that field alone. Absent: the
   * request's loader (every column).
   */
  fetchedResources?: readonly DatasetResourceRow[];

  @Field(() => String, { description: 'URL name on the portal (the title without diacritics), e.g. "danh-sach-tuyen-xe-buyt-tren-dia-ban-thanh-pho-da-nang".' })
  slug: string;

  @Field(() => String, { description: 'Title, in Vietnamese.' })
  title: string;

  @Field(() => String, { description: 'What the dataset holds, in Vietnamese.' })
  description: string;

  @Field(() => String, { description: 'Catalogue category, e.g. "Giao thông".' })
  category: string;

  @Field(() => [String], { description: 'Keywords (từ khóa) for search and filtering.' })
  tags: string[];

  @Field(() => DatasetLicence, { description: 'The licence it is published under.' })
  licence: DatasetLicence;

  @Field(() => DatasetAccessLevel, { description: 'Who may see it.' })
  accessLevel: DatasetAccessLevel;

  @Field(() => DatasetUpdateFrequency, { description: 'How often the publisher updates it.' })
  updateFrequency: DatasetUpdateFrequency;

  @Field(() => NonNegativeIntResolver, { description: 'Downloads so far, all resources together.' })
  downloads: number;

  @Field(() => DateTimeResolver, { description: 'When it was added to the catalogue.' })
  createdAt: Date;

  @Field(() => DateTimeResolver, { description: 'When it was last updated.' })
  updatedAt: Date;

  static from(row: DatasetRow): Dataset {
    return Object.assign(new Dataset(), {
      id: toGlobalId('Dataset', row.id),
      rowId: row.id,
      publisherId: row.publisher_id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      category: row.category,
      tags: row.tags,
      licence: row.licence,
      accessLevel: row.access_level,
      updateFrequency: row.update_frequency,
      downloads: row.downloads,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
}

/** The columns each field of Dataset is made from (its relations: the keys they go by), for the lists that fetch only those. */
export const DATASET_COLUMNS: FieldColumns<DatasetRow> = {
  id: ['id'],
  slug: ['slug'],
  title: ['title'],
  description: ['description'],
  category: ['category'],
  tags: ['tags'],
  licence: ['licence'],
  accessLevel: ['access_level'],
  updateFrequency: ['update_frequency'],
  downloads: ['downloads'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
  publisher: ['publisher_id'],
  resources: ['id'],
  formats: ['id'],
};

export const DatasetConnection = ConnectionType('Dataset', Dataset);
export type DatasetConnection = InstanceType<typeof DatasetConnection>;
