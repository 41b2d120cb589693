import type { ScopeOf } from '../../access/row-scopes.js';
import type { GraphContext } from '../context.js';
import type { IndicatorRow, IndicatorWhere } from './db/index.js';

/** The caller's indicator row scope as repository filter fields (empty: every indicator). */
export type IndicatorRowScope = Pick<IndicatorWhere, 'visibilities' | 'ownAgencyId'>;

/**
 * The access package's indicator scope ("public, or the own agency's") as repository filter
 * fields, to be spread into every repository filter so that SQL applies it.
 */
export function indicatorScopeOf(scope: ScopeOf<'indicators'>): IndicatorRowScope {
  if (scope.kind === 'all') return {};
  return { visibilities: ['PUBLIC'], ownAgencyId: scope.orAgencyId };
}

/** The same scope, for a row fetched by id (node, relations): the SQL condition, restated. */
export function isIndicatorInScope(row: IndicatorRow, scope: IndicatorRowScope): boolean {
  if (!scope.visibilities) return true;
  return scope.visibilities.includes(row.visibility) || (scope.ownAgencyId != null && row.owner_id === scope.ownAgencyId);
}

/** The caller's indicator scope (the principal is resolved once per request). */
export async function indicatorRowScope(ctx: GraphContext): Promise<IndicatorRowScope> {
  return indicatorScopeOf(await ctx.access.scope('indicators'));
}
