import type { DatasetWhere } from '../db/index.js';
import type { GraphContext } from '../../context.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { datasetRowScope } from '../scope.js';
import type { DatasetFilter, PublisherDatasetFilter } from './opendata.inputs.js';

/** The repository filter for a client's filter, always with the caller's row scope in it. */
export async function datasetWhere(filter: DatasetFilter | PublisherDatasetFilter | null, ctx: GraphContext): Promise<DatasetWhere> {
  const publisherId = filter && 'publisherId' in filter ? filter.publisherId : null;
  const where: DatasetWhere = {
    category: filter?.category ?? null,
    tag: filter?.tag ?? null,
    publisherId: optionalGlobalId(publisherId, 'Agency', 'filter.publisherId') ?? null,
    accessLevel: filter?.accessLevel ?? null,
    format: filter?.format ?? null,
    licence: filter?.licence ?? null,
    search: filter?.search ?? null,
    updatedFrom: filter?.updatedFrom ?? null,
  };
  return { ...where, ...(await datasetRowScope(ctx)) };
}
