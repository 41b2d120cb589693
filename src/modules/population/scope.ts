import type { ScopeOf } from '../../access/row-scopes.js';
import type { GraphContext } from '../context.js';

/** A row scope of this source as repository filter fields: `{}` all, `{ ids }` only those. */
export interface PeopleScopeFilter {
  ids?: readonly number[];
}

/**
 * The citizens a caller can find (list, look up, refetch by id), as a repository filter applied
 * in SQL; `null`: none. Their fields are still decided one by one. An officer's applicants are in
 * another source (services, never joined in SQL): their ids, loaded at most once per request.
 */
export function citizenFilterOf(scope: ScopeOf<'citizens'>, applicants: readonly number[] = []): PeopleScopeFilter | null {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'none':
      return null;
    case 'citizen':
      return { ids: [scope.citizenId] };
    case 'applicantsOfAgency':
      return { ids: applicants };
  }
}

/** The households a caller can find: `{}` all, `{ ids }` only those, `null` none. */
export function householdFilterOf(scope: ScopeOf<'households'>): PeopleScopeFilter | null {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'none':
      return null;
    case 'household':
      return { ids: [scope.householdId] };
  }
}

export async function citizenScopeFilter(ctx: GraphContext): Promise<PeopleScopeFilter | null> {
  const scope = await ctx.access.scope('citizens');
  return citizenFilterOf(scope, scope.kind === 'applicantsOfAgency' ? await ctx.access.lookups.applicantsOfAgency(scope.agencyId) : []);
}

/** Whether one citizen is in the caller's scope (look-ups by id or national id): batched checks. */
export function citizenInScope(ctx: GraphContext, citizenId: number): Promise<boolean> {
  return ctx.access.admitsCitizen('citizens', citizenId);
}

export async function householdScopeFilter(ctx: GraphContext): Promise<PeopleScopeFilter | null> {
  return householdFilterOf(await ctx.access.scope('households'));
}
