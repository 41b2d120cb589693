import { indicatorScope } from '../../../access/policy.js';
import type { IndicatorFilter as IndicatorWhere, IndicatorRow } from '../db/index.js';
import type { GraphContext } from '../../context.js';

/** The caller's indicator row scope as repository filter fields (empty: every indicator). */
export type IndicatorRowScope = Pick<IndicatorWhere, 'visibilities' | 'ownAgencyId'>;

const scopes = new WeakMap<object, Promise<IndicatorRowScope>>();

async function resolveScope({ principal, loaders }: GraphContext): Promise<IndicatorRowScope> {
  const scope = indicatorScope(principal);
  if (scope.kind === 'all') return {};
  if (scope.kind === 'none') return { visibilities: [] };
  // The policy names the agency by code; indicator rows hold the agency's row id.
  const own = scope.ownAgency ? await loaders.reference.agencyByCode.load(scope.ownAgency) : null;
  return { visibilities: ['PUBLIC'], ownAgencyId: own?.id ?? null };
}

/**
 * The policy's indicator scope for this request, computed once per request (the request's
 * loaders key it), to be spread into every repository filter so that SQL applies it.
 */
export function indicatorRowScope(ctx: GraphContext): Promise<IndicatorRowScope> {
  let scope = scopes.get(ctx.loaders);
  if (!scope) {
    scope = resolveScope(ctx);
    scopes.set(ctx.loaders, scope);
  }
  return scope;
}

/** The same scope, for a row fetched by id (node, relations): the SQL condition, restated. */
export function isIndicatorInScope(row: IndicatorRow, scope: IndicatorRowScope): boolean {
  if (!scope.visibilities) return true;
  return scope.visibilities.includes(row.visibility) || (scope.ownAgencyId != null && row.owner_id === scope.ownAgencyId);
}

/** An indicator by row id if the caller may see it; null for a hidden one, exactly as for a missing one. */
export async function visibleIndicatorRow(id: number, ctx: GraphContext): Promise<IndicatorRow | null> {
  const [row, scope] = await Promise.all([ctx.loaders.ioc.indicatorById.load(id), indicatorRowScope(ctx)]);
  return row && isIndicatorInScope(row, scope) ? row : null;
}
