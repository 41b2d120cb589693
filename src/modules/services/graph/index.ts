import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { dossierScopeFilter } from './dossier-scope.js';
import { DossierGroupResolver, DossierStatisticsResolver } from './dossier-statistics.resolver.js';
import { DossierResolver } from './dossier.resolver.js';
import { Dossier } from './dossier.type.js';
import { DossierEventResolver, ProcedureResolver } from './procedure.resolver.js';
import { Procedure } from './procedure.type.js';
import { AgencyServicesResolver, BusinessDossiersResolver, CitizenDossiersResolver } from './related-dossiers.resolver.js';

export const servicesNodes: Record<string, NodeFetcher<GraphContext>> = {
  Procedure: async (id, { loaders }) => {
    const row = await loaders.services.procedureById.load(id);
    return row ? Procedure.from(row) : null;
  },
  // A dossier outside the caller's scope answers null, exactly like a missing one.
  Dossier: async (id, ctx) => {
    const scope = await dossierScopeFilter(ctx);
    const row = scope ? await ctx.loaders.services.dossierInScope(scope).load(id) : null;
    return row ? Dossier.from(row, ctx.now) : null;
  },
};

export const servicesResolvers = [
  DossierResolver,
  ProcedureResolver,
  DossierEventResolver,
  DossierStatisticsResolver,
  DossierGroupResolver,
  AgencyServicesResolver,
  CitizenDossiersResolver,
  BusinessDossiersResolver,
] as const;
