import type { DatasetOrder, DatasetWhere, OpendataRepositories, ResourceParentScope } from './db/index.js';
import { countLoaderFamily, groupLoader, idLoader, keyLoader, loaderFamily, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

/** What a page of a publisher's datasets is cut by: the filter (row scope included) and the order. */
export interface DatasetPageQuery {
  filter: DatasetWhere;
  order: DatasetOrder;
}

export function opendataLoaders(repos: OpendataRepositories, options: LoaderOptions) {
  const { datasets, resources } = repos;
  return {
    datasetById: idLoader((ids) => datasets.findByIds(ids), options),
    datasetBySlug: keyLoader((slugs: readonly string[]) => datasets.findBySlugs(slugs), (row) => row.slug, options),
    datasetResourceById: idLoader((ids) => resources.findByIds(ids), options),
    /** Resources by id, only those whose dataset is in the scope (node(id): hidden costs what missing does). */
    datasetResourceInScope: loaderFamily((scope: ResourceParentScope) => idLoader((ids) => resources.findByIdsInScope(ids, scope), options)),
    /** Every resource of each dataset (a handful each), for a batch of datasets in one statement. */
    datasetResources: groupLoader((ids) => resources.findByDatasetIds(ids), (row) => row.dataset_id, options),
    /** How many datasets each publishing agency has within a filter, for a batch of agencies in one statement. */
    datasetCountByPublisher: countLoaderFamily((parentIds, filter: DatasetWhere) => datasets.countByPublisher({ parentIds, filter }), options),
    /** A page of datasets per publishing agency, for a batch of agencies in one statement. */
    datasetsByPublisher: pageLoaderFamily(
      (parentIds, { filter, order }: DatasetPageQuery, page) => datasets.pagesByPublisher({ parentIds, filter, order, page }),
      options,
    ),
  };
}
