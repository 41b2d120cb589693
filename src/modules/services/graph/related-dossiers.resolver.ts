import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApplicantKind, DossierRow } from '../db/index.js';
import { Business } from '../../business/module.js';
import type { GraphContext } from '../../context.js';
import { Citizen } from '../../population/module.js';
import { Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { dossierScopeFilter } from '../scope.js';
import { Dossier, DossierConnection } from './dossier.type.js';
import { Procedure, ProcedureConnection } from './procedure.type.js';
import { DossierOrder, ProcedureOrder } from './services.enums.js';

// The connections below read the services source for a parent of another source (agency,
// citizen, business): they are nullable, so that an outage of services costs only these fields
// and never the parent (a non-null field's error would null the whole citizen).

/** The dossiers of one applicant, inside the caller's row scope; batched over a page of applicants. */
async function applicantDossiers(kind: ApplicantKind, applicantId: number, page: ConnectionArgs, orderBy: DossierOrder, ctx: GraphContext) {
  const scope = await dossierScopeFilter(ctx);
  const toDossier = (row: DossierRow) => Dossier.from(row, ctx.now);
  if (!scope) return DossierConnection.empty();
  const rows = await ctx.loaders.services.dossiersByApplicant({ kind, scope, order: orderBy }, ctx.cursors.page(page)).load(applicantId);
  return DossierConnection.of(rows, toDossier, () => ctx.loaders.services.dossierCountByApplicant({ kind, scope }).load(applicantId));
}

@Resolver(() => Agency)
export class AgencyServicesResolver {
  @FieldResolver(() => DossierConnection, {
    nullable: true,
    description: "Dossiers handled by the agency, within the caller's dossier scope; null with SOURCE_UNAVAILABLE when the services source is down.",
  })
  async dossiers(
    @Root() agency: Agency,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @OrderByArg(DossierOrder, DossierOrder.SUBMITTED_AT, 'How to order the dossiers.') orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierConnection> {
    const scope = await dossierScopeFilter(ctx);
    const toDossier = (row: DossierRow) => Dossier.from(row, ctx.now);
    if (!scope) return DossierConnection.empty();
    const rows = await ctx.loaders.services.dossiersByAgency({ scope, order: orderBy }, ctx.cursors.page(page)).load(agency.rowId);
    return DossierConnection.of(rows, toDossier, () => ctx.loaders.services.dossierCountByAgency(scope).load(agency.rowId));
  }

  @FieldResolver(() => ProcedureConnection, {
    nullable: true,
    description: 'Procedures the agency handles; null with SOURCE_UNAVAILABLE when the services source is down.',
  })
  async procedures(
    @Root() agency: Agency,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<ProcedureConnection> {
    const rows = await loaders.services.proceduresByAgency(ProcedureOrder.NAME, cursors.page(page)).load(agency.rowId);
    return ProcedureConnection.of(rows, Procedure.from, () => loaders.services.procedureCountByAgency(null).load(agency.rowId));
  }
}

@Resolver(() => Citizen)
export class CitizenDossiersResolver {
  @FieldResolver(() => DossierConnection, {
    nullable: true,
    description: "The citizen's dossiers, within the caller's dossier scope; null with SOURCE_UNAVAILABLE when the services source is down.",
  })
  dossiers(
    @Root() citizen: Citizen,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @OrderByArg(DossierOrder, DossierOrder.SUBMITTED_AT, 'How to order the dossiers.') orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierConnection> {
    return applicantDossiers('CITIZEN', citizen.rowId, page, orderBy, ctx);
  }
}

@Resolver(() => Business)
export class BusinessDossiersResolver {
  @FieldResolver(() => DossierConnection, {
    nullable: true,
    description: "The business's dossiers, within the caller's dossier scope; null with SOURCE_UNAVAILABLE when the services source is down.",
  })
  dossiers(
    @Root() business: Business,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @OrderByArg(DossierOrder, DossierOrder.SUBMITTED_AT, 'How to order the dossiers.') orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierConnection> {
    return applicantDossiers('BUSINESS', business.rowId, page, orderBy, ctx);
  }
}
