import { datasetScope } from '../../../access/policy.js';
import type { DatasetFilter as DatasetWhere, DatasetRow } from '../db/index.js';
import type { GraphContext } from '../../context.js';

/** The caller's dataset row scope as repository filter fields (empty: every dataset). */
export type DatasetRowScope = Pick<DatasetWhere, 'accessLevels' | 'ownAgencyId'>;

const scopes = new WeakMap<object, Promise<DatasetRowScope>>();

async function resolveScope({ principal, loaders }: GraphContext): Promise<DatasetRowScope> {
  const scope = datasetScope(principal);
  if (scope.kind === 'all') return {};
  if (scope.kind === 'none') return { accessLevels: [] };
  // The policy names the agency by code; dataset rows hold the agency's row id.
  const own = scope.ownAgency ? await loaders.reference.agencyByCode.load(scope.ownAgency) : null;
  return { accessLevels: ['PUBLIC'], ownAgencyId: own?.id ?? null };
}

/**
 * The policy's dataset scope for this request, computed once per request (the request's loaders
 * key it), to be spread into every repository filter so that SQL applies it.
 */
export function datasetRowScope(ctx: GraphContext): Promise<DatasetRowScope> {
  let scope = scopes.get(ctx.loaders);
  if (!scope) {
    scope = resolveScope(ctx);
    scopes.set(ctx.loaders, scope);
  }
  return scope;
}

/** The same scope, for a row fetched by id (node, relations): the SQL condition, restated. */
export function isDatasetInScope(row: DatasetRow, scope: DatasetRowScope): boolean {
  if (!scope.accessLevels) return true;
  return scope.accessLevels.includes(row.access_level) || (scope.ownAgencyId != null && row.publisher_id === scope.ownAgencyId);
}

/** A dataset by row id if the caller may see it; null for a hidden one, exactly as for a missing one. */
export async function visibleDatasetRow(id: number, ctx: GraphContext): Promise<DatasetRow | null> {
  const [row, scope] = await Promise.all([ctx.loaders.opendata.datasetById.load(id), datasetRowScope(ctx)]);
  return row && isDatasetInScope(row, scope) ? row : null;
}
