import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('DatasetCategoryCount', { description: 'A facet of the catalogue: a category and how many datasets match in it.' })
export class DatasetCategoryCount {
  @Field(() => String, { description: 'Catalogue category, e.g. "Giao thông".' })
  category: string;

  @Field(() => Int, { description: 'Datasets in this category that match the filter.' })
  count: number;
}
