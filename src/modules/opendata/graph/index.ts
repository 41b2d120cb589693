import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { AgencyDatasetsResolver } from './agency-datasets.resolver.js';
import { DatasetResourceResolver } from './dataset-resource.resolver.js';
import { DatasetResource } from './dataset-resource.type.js';
import { datasetRowScope, isDatasetInScope } from '../scope.js';
import { DatasetResolver } from './dataset.resolver.js';
import { Dataset } from './dataset.type.js';

export const opendataNodes: Record<string, NodeFetcher<GraphContext>> = {
  // node(id) applies the same row scope as every list: a hidden dataset answers null like a missing one.
  Dataset: (id, ctx) => loadInScopeAs(ctx.loaders.opendata.datasetById, id, () => datasetRowScope(ctx), isDatasetInScope, Dataset.from),
  // A resource is visible exactly when its dataset is; the dataset's scope is checked in the same
  // statement, so a resource of a hidden dataset costs exactly what a missing one does.
  DatasetResource: async (id, ctx) => {
    return loadAs(ctx.loaders.opendata.datasetResourceInScope(await datasetRowScope(ctx)), id, DatasetResource.from);
  },
};

export const opendataResolvers = [DatasetResolver, DatasetResourceResolver, AgencyDatasetsResolver] as const;
