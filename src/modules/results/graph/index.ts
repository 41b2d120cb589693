import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { resultScopeFilter } from '../scope.js';
import { ProcedureResultResolver, ProcedureResultVerificationResolver } from './procedure-result.resolver.js';
import { ProcedureResult } from './procedure-result.type.js';
import { BusinessResultsResolver, CitizenResultsResolver, DossierResultResolver } from './related-results.resolver.js';

export const resultsNodes: Record<string, NodeFetcher<GraphContext>> = {
  // A result outside the caller's scope answers null, exactly like a missing one (and costs the same).
  ProcedureResult: async (id, ctx) => {
    const scope = await resultScopeFilter(ctx);
    return scope ? loadAs(ctx.loaders.results.resultInScope(scope), id, (row) => ProcedureResult.from(row, ctx.now)) : null;
  },
};

export const resultsResolvers = [
  ProcedureResultResolver,
  ProcedureResultVerificationResolver,
  DossierResultResolver,
  CitizenResultsResolver,
  BusinessResultsResolver,
] as const;
