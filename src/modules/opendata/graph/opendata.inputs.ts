import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { DatasetAccessLevel, DatasetLicence, DatasetResourceFormat } from './opendata.enums.js';

/** Filters of a publisher's datasets (`Agency.datasets`); `DatasetFilter` adds the publisher. */
@InputType('PublisherDatasetFilter', { description: 'Conditions on one publisher’s datasets; all given conditions must hold.' })
export class PublisherDatasetFilter {
  @Field(() => String, { nullable: true, description: 'Exact category, e.g. "Giao thông".' })
  category?: string | null;

  @Field(() => String, { nullable: true, description: 'Datasets carrying this tag (exact).' })
  tag?: string | null;

  @Field(() => DatasetResourceFormat, { nullable: true, description: 'Datasets with at least one resource in this format.' })
  format?: DatasetResourceFormat | null;

  @Field(() => DatasetLicence, { nullable: true, description: 'Only datasets under this licence.' })
  licence?: DatasetLicence | null;

  @Field(() => DatasetAccessLevel, { nullable: true, description: 'Only datasets of this access level (among those the caller may see).' })
  accessLevel?: DatasetAccessLevel | null;

  @Field(() => String, { nullable: true, description: 'Words of the title; case and diacritics ignored ("da nang" finds "Đà Nẵng").' })
  search?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Datasets updated at or after this time.' })
  updatedFrom?: Date | null;
}

@InputType('DatasetFilter', { description: 'Conditions on datasets of the catalogue; all given conditions must hold.' })
export class DatasetFilter extends PublisherDatasetFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of the publishing agency.' })
  publisherId?: string | null;
}
