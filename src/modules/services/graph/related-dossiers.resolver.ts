import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { ApplicantKind, DossierRow } from '../db/index.js';
import { Business } from '../../business/module.js';
import type { GraphContext } from '../../context.js';
import { Citizen } from '../../population/module.js';
import { Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { selectedFields } from '../../../platform/relay/selection.js';
import { dossierScopeFilter } from '../scope.js';
import { Dossier, DossierConnection } from './dossier.type.js';
import { Procedure, ProcedureConnection } from './procedure.type.js';
import { DossierOrder, ProcedureOrder } from './services.enums.js';

// The connections below read the services source for a parent of another source (agency,
// citizen, business): they are nullable, so that an outage of services costs only these fields
// and never the parent (a non-null field's error would null the whole citizen).

/** Per field nodes (the same for every applicant of a list): the fields asked of the dossiers' procedure, sorted; undefined when it is not asked. */
const procedureFieldsAsked = new WeakMap<GraphQLResolveInfo['fieldNodes'], { fields: readonly string[] | undefined }>();

function procedureFieldsOf(info: GraphQLResolveInfo): readonly string[] | undefined {
  let known = procedureFieldsAsked.get(info.fieldNodes);
  if (!known) {
    const asked = selectedFields(info, 'Dossier', ['edges', 'node']).has('procedure');
    known = { fields: asked ? [...selectedFields(info, 'Procedure', ['edges', 'node', 'procedure'])].sort() : undefined };
    procedureFieldsAsked.set(info.fieldNodes, known);
  }
  return known.fields;
}

/**
 * The dossiers of one applicant, inside the caller's row scope; batched over a page of
 * applicants, with their procedure in the same statement when the document asks for it.
 */
async function applicantDossiers(kind: ApplicantKind, applicantId: number, page: ConnectionArgs, orderBy: DossierOrder, ctx: GraphContext, info: GraphQLResolveInfo) {
  const scope = await dossierScopeFilter(ctx);
  const toDossier = (row: DossierRow) => Dossier.from(row, ctx.now);
  if (!scope) return DossierConnection.empty();
  const query = { kind, scope, order: orderBy, procedureFields: procedureFieldsOf(info) };
  const rows = await ctx.loaders.services.dossiersByApplicant(query, ctx.cursors.page(page)).load(applicantId);
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
    @Info() info: GraphQLResolveInfo,
  ): Promise<DossierConnection> {
    return applicantDossiers('CITIZEN', citizen.rowId, page, orderBy, ctx, info);
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
    @Info() info: GraphQLResolveInfo,
  ): Promise<DossierConnection> {
    return applicantDossiers('BUSINESS', business.rowId, page, orderBy, ctx, info);
  }
}
