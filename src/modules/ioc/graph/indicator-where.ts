import type { IndicatorWhere } from '../db/index.js';
import type { GraphContext } from '../../context.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { indicatorRowScope } from '../scope.js';
import type { IndicatorFilter, OwnerIndicatorFilter } from './ioc.inputs.js';

/** The repository filter for a client's filter, always with the caller's row scope in it. */
export async function indicatorWhere(filter: IndicatorFilter | OwnerIndicatorFilter | null, ctx: GraphContext): Promise<IndicatorWhere> {
  const ownerId = filter && 'ownerId' in filter ? filter.ownerId : null;
  const where: IndicatorWhere = {
    category: filter?.category ?? null,
    visibility: filter?.visibility ?? null,
    ownerId: optionalGlobalId(ownerId, 'Agency', 'filter.ownerId') ?? null,
    search: filter?.search ?? null,
  };
  return { ...where, ...(await indicatorRowScope(ctx)) };
}
