import { dossierScope, dossierStatisticsScope } from '../../../access/policy.js';
import type { DossierFilter } from '../db/index.js';
import type { GraphContext } from '../../context.js';

const scopes = new WeakMap<GraphContext, Promise<DossierFilter | null>>();

/**
 * The caller's dossier row scope as a repository filter, applied in SQL on every path to
 * dossiers. `null`: the caller may see no dossier at all.
 */
export function dossierScopeFilter(ctx: GraphContext): Promise<DossierFilter | null> {
  let scope = scopes.get(ctx);
  if (!scope) {
    scope = resolveScope(ctx);
    scopes.set(ctx, scope);
  }
  return scope;
}

async function resolveScope(ctx: GraphContext): Promise<DossierFilter | null> {
  const scope = dossierScope(ctx.principal);
  if (scope.kind === 'all') return {};
  if (scope.kind === 'none') return null;
  if ('agency' in scope) {
    const agency = await ctx.loaders.reference.agencyByCode.load(scope.agency);
    return agency ? { agencyIds: [agency.id] } : null;
  }
  const citizen = await ctx.loaders.population.citizenByNationalId.load(scope.citizenNationalId);
  return citizen ? { applicants: [{ kind: 'CITIZEN', id: citizen.id }] } : null;
}

/** The agencies whose dossier statistics the caller may see: undefined for all, null for none. */
export async function statisticsAgencyScope(ctx: GraphContext): Promise<number[] | undefined | null> {
  const scope = dossierStatisticsScope(ctx.principal);
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'none') return null;
  const agency = await ctx.loaders.reference.agencyByCode.load(scope.agency);
  return agency ? [agency.id] : null;
}
