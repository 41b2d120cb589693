import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApplicantKind, DossierRow } from '../../sources/services/index.js';
import { Business } from '../business/business.type.js';
import type { GraphContext } from '../context.js';
import { Citizen } from '../population/citizen.type.js';
import { Agency } from '../reference/agency.type.js';
import { ConnectionArgs } from '../relay/connection.args.js';
import { dossierScopeFilter } from './dossier-scope.js';
import { Dossier, DossierConnection } from './dossier.type.js';
import { Procedure, ProcedureConnection } from './procedure.type.js';
import { DossierOrder, ProcedureOrder } from './services.enums.js';

/** The dossiers of one applicant, inside the caller's row scope; batched over a page of applicants. */
async function applicantDossiers(kind: ApplicantKind, applicantId: number, page: ConnectionArgs, orderBy: DossierOrder, ctx: GraphContext) {
  const scope = await dossierScopeFilter(ctx);
  const toDossier = (row: DossierRow) => Dossier.from(row, ctx.now);
  if (!scope) return DossierConnection.empty();
  const rows = await ctx.loaders.dossiersByApplicant({ kind, scope, order: orderBy }, page).load(applicantId);
  return DossierConnection.of(rows, toDossier, () => ctx.loaders.dossierCountByApplicant({ kind, scope }).load(applicantId));
}

@Resolver(() => Agency)
export class AgencyServicesResolver {
  @FieldResolver(() => DossierConnection, { description: "Dossiers handled by the agency, within the caller's dossier scope." })
  async dossiers(
    @Root() agency: Agency,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('orderBy', () => DossierOrder, { defaultValue: DossierOrder.SUBMITTED_AT }) orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierConnection> {
    const scope = await dossierScopeFilter(ctx);
    const toDossier = (row: DossierRow) => Dossier.from(row, ctx.now);
    if (!scope) return DossierConnection.empty();
    const rows = await ctx.loaders.dossiersByAgency({ scope, order: orderBy }, page).load(agency.rowId);
    return DossierConnection.of(rows, toDossier, () => ctx.loaders.dossierCountByAgency(scope).load(agency.rowId));
  }

  @FieldResolver(() => ProcedureConnection, { description: 'Procedures the agency handles.' })
  async procedures(
    @Root() agency: Agency,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders }: GraphContext,
  ): Promise<ProcedureConnection> {
    const rows = await loaders.proceduresByAgency(ProcedureOrder.NAME, page).load(agency.rowId);
    return ProcedureConnection.of(rows, Procedure.from, () => loaders.procedureCountByAgency(null).load(agency.rowId));
  }
}

@Resolver(() => Citizen)
export class CitizenDossiersResolver {
  @FieldResolver(() => DossierConnection, { description: "The citizen's dossiers, within the caller's dossier scope." })
  dossiers(
    @Root() citizen: Citizen,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('orderBy', () => DossierOrder, { defaultValue: DossierOrder.SUBMITTED_AT }) orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierConnection> {
    return applicantDossiers('CITIZEN', citizen.rowId, page, orderBy, ctx);
  }
}

@Resolver(() => Business)
export class BusinessDossiersResolver {
  @FieldResolver(() => DossierConnection, { description: "The business's dossiers, within the caller's dossier scope." })
  dossiers(
    @Root() business: Business,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('orderBy', () => DossierOrder, { defaultValue: DossierOrder.SUBMITTED_AT }) orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierConnection> {
    return applicantDossiers('BUSINESS', business.rowId, page, orderBy, ctx);
  }
}
