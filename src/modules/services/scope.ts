import type { ScopeOf } from '../../access/row-scopes.js';
import type { GraphContext } from '../context.js';
import type { DossierWhere } from './db/index.js';

/**
 * The access package's row scopes of this source as repository filters, applied in SQL on every
 * path to a dossier (list, count, look-up, node, relations). `null`: nothing at all.
 */
export function dossierFilterOf(scope: ScopeOf<'dossiers'>): DossierWhere | null {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'none':
      return null;
    case 'agency':
      return { agencyIds: [scope.agencyId] };
    case 'citizen':
      return { applicants: [{ kind: 'CITIZEN', id: scope.citizenId }] };
  }
}

/** The agencies whose dossier statistics the scope covers: undefined for all, null for none. */
export function statisticsAgencyIdsOf(scope: ScopeOf<'dossierStatistics'>): number[] | undefined | null {
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'none') return null;
  return [scope.agencyId];
}

/** The caller's dossier scope as a repository filter (the principal is resolved once per request). */
export async function dossierScopeFilter(ctx: GraphContext): Promise<DossierWhere | null> {
  return dossierFilterOf(await ctx.access.scope('dossiers'));
}

/** The agencies whose dossier statistics the caller may see: undefined for all, null for none. */
export async function statisticsAgencyScope(ctx: GraphContext): Promise<number[] | undefined | null> {
  return statisticsAgencyIdsOf(await ctx.access.scope('dossierStatistics'));
}
