import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { DatasetResource } from './dataset-resource.type.js';
import { visibleDatasetRow } from '../scope.js';
import { Dataset } from './dataset.type.js';

@Resolver(() => DatasetResource)
export class DatasetResourceResolver {
  @FieldResolver(() => Dataset, { nullable: true, description: 'The dataset the resource belongs to.' })
  async dataset(@Root() resource: DatasetResource, @Ctx() ctx: GraphContext): Promise<Dataset | null> {
    const row = await visibleDatasetRow(resource.datasetId, ctx);
    return row ? Dataset.from(row) : null;
  }
}
