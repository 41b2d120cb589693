import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('DatasetCategoryCount', { description: 'A facet of the catalogue: a category and how many datasets match in it.' })
export class DatasetCategoryCount {
  @Field(() => String)
  category: string;

  @Field(() => Int)
  count: number;
}
