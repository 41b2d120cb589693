import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { DatasetResource } from './dataset-resource.type.js';
import { loadInScopeAs } from '../../../platform/relay/load-as.js';
import { datasetRowScope, isDatasetInScope } from '../scope.js';
import { Dataset } from './dataset.type.js';

@Resolver(() => DatasetResource)
export class DatasetResourceResolver {
  @FieldResolver(() => Dataset, { nullable: true, description: 'The dataset the resource belongs to.' })
  async dataset(@Root() resource: DatasetResource, @Ctx() ctx: GraphContext): Promise<Dataset | null> {
    return loadInScopeAs(ctx.loaders.opendata.datasetById, resource.datasetId, () => datasetRowScope(ctx), isDatasetInScope, Dataset.from);
  }
}
