import { citizenScope, householdScope } from '../../../access/policy.js';
import type { GraphContext } from '../../context.js';

/**
 * The citizens a caller can find (list, look up, refetch by id), as a repository filter applied
 * in SQL: `{}` all, `{ ids }` only those, `null` none. Their fields are still decided one by one.
 */
export async function citizenScopeFilter(ctx: GraphContext): Promise<{ ids?: number[] } | null> {
  const scope = citizenScope(ctx.principal);
  if (scope.kind === 'all') return {};
  if (scope.kind === 'none') return null;
  if ('citizenNationalId' in scope) {
    const self = await ctx.loaders.population.citizenByNationalId.load(scope.citizenNationalId);
    return self ? { ids: [self.id] } : null;
  }
  const agency = await ctx.loaders.reference.agencyByCode.load(scope.applicantsOfAgency);
  return agency ? { ids: await ctx.repos.services.dossiers.applicantIdsOfAgency(agency.id, 'CITIZEN') } : null;
}

/** Whether one citizen is in the caller's scope (lookups by id or national id): batched checks. */
export async function citizenInScope(ctx: GraphContext, citizenId: number): Promise<boolean> {
  const scope = citizenScope(ctx.principal);
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  if ('citizenNationalId' in scope) {
    const self = await ctx.loaders.population.citizenByNationalId.load(scope.citizenNationalId);
    return self?.id === citizenId;
  }
  const agency = await ctx.loaders.reference.agencyByCode.load(scope.applicantsOfAgency);
  return agency ? ctx.loaders.services.citizenAppliedToAgency(agency.id).load(citizenId) : false;
}

/** The households a caller can find: `{}` all, `{ ids }` only those, `null` none. */
export async function householdScopeFilter(ctx: GraphContext): Promise<{ ids?: number[] } | null> {
  const scope = householdScope(ctx.principal);
  if (scope.kind === 'all') return {};
  if (scope.kind === 'none') return null;
  const self = await ctx.loaders.population.citizenByNationalId.load(scope.citizenNationalId);
  return self ? { ids: [self.household_id] } : null;
}
