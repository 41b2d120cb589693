import type { ScopeOf } from '../../access/row-scopes.js';
import type { GraphContext } from '../context.js';
import type { DatasetRow, DatasetWhere } from './db/index.js';

/** The caller's dataset row scope as repository filter fields (empty: every dataset). */
export type DatasetRowScope = Pick<DatasetWhere, 'accessLevels' | 'ownAgencyId'>;

/**
 * The access package's dataset scope ("public, or the own agency's") as repository filter
 * fields, to be spread into every repository filter so that SQL applies it.
 */
export function datasetScopeOf(scope: ScopeOf<'datasets'>): DatasetRowScope {
  if (scope.kind === 'all') return {};
  return { accessLevels: ['PUBLIC'], ownAgencyId: scope.orAgencyId };
}

/** The same scope, for a row fetched by id (node, relations): the SQL condition, restated. */
export function isDatasetInScope(row: DatasetRow, scope: DatasetRowScope): boolean {
  if (!scope.accessLevels) return true;
  return scope.accessLevels.includes(row.access_level) || (scope.ownAgencyId != null && row.publisher_id === scope.ownAgencyId);
}

/** The caller's dataset scope (the principal is resolved once per request). */
export async function datasetRowScope(ctx: GraphContext): Promise<DatasetRowScope> {
  return datasetScopeOf(await ctx.access.scope('datasets'));
}
