import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { dossierScopeFilter } from '../scope.js';
import { DossierGroupResolver, DossierStatisticsResolver } from './dossier-statistics.resolver.js';
import { DossierStatisticsSubscriptionResolver } from './dossier-statistics.subscription.js';
import { DossierResolver } from './dossier.resolver.js';
import { Dossier } from './dossier.type.js';
import { DossierEventResolver, ProcedureResolver } from './procedure.resolver.js';
import { Procedure } from './procedure.type.js';
import { AgencyServicesResolver, BusinessDossiersResolver, CitizenDossiersResolver } from './related-dossiers.resolver.js';

export const servicesNodes: Record<string, NodeFetcher<GraphContext>> = {
  Procedure: (id, { loaders }) => loadAs(loaders.services.procedureById, id, Procedure.from),
  // A dossier outside the caller's scope answers null, exactly like a missing one.
  Dossier: async (id, ctx) => {
    const scope = await dossierScopeFilter(ctx);
    return scope ? loadAs(ctx.loaders.services.dossierInScope(scope), id, (row) => Dossier.from(row, ctx.now)) : null;
  },
};

export const servicesResolvers = [
  DossierResolver,
  ProcedureResolver,
  DossierEventResolver,
  DossierStatisticsResolver,
  DossierGroupResolver,
  DossierStatisticsSubscriptionResolver,
  AgencyServicesResolver,
  CitizenDossiersResolver,
  BusinessDossiersResolver,
] as const;
