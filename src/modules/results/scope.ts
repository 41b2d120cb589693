import type { ScopeOf } from '../../access/row-scopes.js';
import type { GraphContext } from '../context.js';
import type { ResultWhere } from './db/index.js';

/**
 * The access package's row scope of this source (`ROW_SCOPES.results`, src/access/row-scopes.ts)
 * as a repository filter, applied in SQL on every path to a result: the root list and look-up,
 * `node(id)`, `Dossier.result`, `Citizen.results`, `Business.results`. `{}`: all; `null`: none.
 */
export function resultFilterOf(scope: ScopeOf<'results'>): ResultWhere | null {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'none':
      return null;
    case 'agency':
      // An officer: the results the own agency issued.
      return { issuingAgencyIds: [scope.agencyId] };
    case 'citizen':
      // A citizen: the results they hold (a business they represent holds its own).
      return { holders: [{ kind: 'CITIZEN', id: scope.citizenId }] };
  }
}

/** The caller's result scope as a repository filter (the principal is resolved once per request). */
export async function resultScopeFilter(ctx: GraphContext): Promise<ResultWhere | null> {
  return resultFilterOf(await ctx.access.scope('results'));
}
