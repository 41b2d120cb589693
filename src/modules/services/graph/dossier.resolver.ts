import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { DossierWhere } from '../db/index.js';
import { pageFromRows, type Keyset } from '../../../platform/db/keyset.js';
import { Business } from '../../business/module.js';
import type { GraphContext } from '../../context.js';
import { gatewayError } from '../../../platform/errors.js';
import { Citizen } from '../../population/module.js';
import { AdministrativeUnit, Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { fromGlobalId, InvalidGlobalIdError, optionalGlobalId, toGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { planColumns } from '../../../platform/loaders/batch.js';
import { PROCEDURE_COLUMNS } from '../loaders.js';
import { columnsFor, fieldsAsked, selectedFields, selectsAnything } from '../../../platform/relay/selection.js';
import { Applicant } from './applicant.union.js';
import { DossierEvent, DossierEventConnection } from './dossier-event.type.js';
import { dossierScopeFilter } from '../scope.js';
import { Dossier, DOSSIER_COLUMNS, DossierConnection, DossierStatusLookup } from './dossier.type.js';
import { Procedure } from './procedure.type.js';
import { DossierOrder } from './services.enums.js';
import { DossierFilter } from './services.inputs.js';

type EventRow = Parameters<typeof DossierEvent.from>[0];
const EVENT_KEYSET: Keyset<EventRow> = { name: 'event:seq', columns: ['seq'], direction: 'asc' };

function applicantOf(globalId: string | null | undefined): Pick<DossierWhere, 'applicantKind' | 'applicantId'> {
  if (globalId == null) return {};
  const decoded = fromGlobalId(globalId);
  if (decoded?.type === 'Citizen') return { applicantKind: 'CITIZEN', applicantId: decoded.id };
  if (decoded?.type === 'Business') return { applicantKind: 'BUSINESS', applicantId: decoded.id };
  throw new InvalidGlobalIdError('filter.applicantId is not a valid Citizen or Business id');
}

/** The client's filter as a repository filter; the row scope is added separately, in SQL. */
export function dossierWhere(filter: DossierFilter | null | undefined, now: Date): DossierWhere {
  return {
    agencyId: optionalGlobalId(filter?.agencyId, 'Agency', 'filter.agencyId'),
    procedureId: optionalGlobalId(filter?.procedureId, 'Procedure', 'filter.procedureId'),
    status: filter?.status ?? null,
    channel: filter?.channel ?? null,
    ...applicantOf(filter?.applicantId),
    submittedFrom: filter?.submittedFrom ?? null,
    submittedTo: filter?.submittedTo ?? null,
    dueBefore: filter?.dueBefore ?? null,
    overdue: filter?.overdue ?? null,
    wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
    now,
  };
}

@Resolver(() => Dossier)
export class DossierResolver {
  @Query(() => DossierConnection, {
    // Nullable: one source down nulls only this field, not the whole response (as every root list).
    nullable: true,
    description: 'Dossiers the caller may see in full: a citizen their own, an officer those handled by the own agency, an admin all.',
  })
  async dossiers(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => DossierFilter, { nullable: true, description: 'Only the dossiers matching these conditions.' }) filter: DossierFilter | null,
    @OrderByArg(DossierOrder, DossierOrder.SUBMITTED_AT, 'How to order the dossiers.') orderBy: DossierOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DossierConnection> {
    const where = dossierWhere(filter, ctx.now);
    const scope = await dossierScopeFilter(ctx);
    const toDossier = (row: Parameters<typeof Dossier.from>[0]) => Dossier.from(row, ctx.now);
    if (!scope) return DossierConnection.empty();
    const { dossiers } = ctx.repos.services;
    // The scope's conditions and the client's are ANDed in SQL.
    const scoped = { ...where, ...scope };
    // Only the columns of the fields the document selects on the page's dossiers.
    const selected = selectedFields(info, 'Dossier', ['edges', 'node']);
    const columns = columnsFor(selected, DOSSIER_COLUMNS, ['id']);
    // The dossiers' procedure (the same source) in the page's statement when the document asks
    // for it, with the columns its fields need: primed into the request's loader, which the
    // `procedure` field resolver then answers from.
    const procedureFields = selected.has('procedure') ? selectedFields(info, 'Procedure', ['edges', 'node', 'procedure']) : undefined;
    const procedureColumns = procedureFields && planColumns(PROCEDURE_COLUMNS, procedureFields);
    const rows = await dossiers.list(scoped, orderBy, ctx.cursors.page(page), columns, procedureColumns);
    for (const procedure of rows.procedures ?? []) ctx.loaders.services.procedureById.prime(procedure.id, procedure, procedureFields);
    ctx.loaders.services.noteDossiers(rows.edges.map((edge) => edge.node));
    return DossierConnection.of(rows, toDossier, () => dossiers.count(scoped));
  }

  @Query(() => Dossier, { nullable: true, description: 'A dossier by its code, if the caller may see it in full (else null, as for a missing one).' })
  async dossier(@Arg('code', () => String, { description: 'Dossier code, as printed on the receipt.' }) code: string, @Ctx() ctx: GraphContext): Promise<Dossier | null> {
    const scope = await dossierScopeFilter(ctx);
    if (!scope) return null;
    return loadAs(ctx.loaders.services.dossierByCodeInScope(scope), code, (row) => Dossier.from(row, ctx.now));
  }

  @Query(() => DossierStatusLookup, { nullable: true, description: 'Public status lookup by dossier code: status and dates only.' })
  async dossierStatus(@Arg('code', () => String, { description: 'Dossier code, as printed on the receipt.' }) code: string, @Ctx() ctx: GraphContext): Promise<DossierStatusLookup | null> {
    if (ctx.access.excluded('dossierStatus')) throw gatewayError('FORBIDDEN', 'The dossier status lookup is not open to auditors');
    return loadAs(ctx.loaders.services.dossierByCode, code, DossierStatusLookup.from);
  }

  @FieldResolver(() => Procedure, { nullable: true, description: 'The procedure (thủ tục hành chính) applied for.' })
  async procedure(@Root() dossier: Dossier, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Procedure | null> {
    return loadAs(loaders.services.procedureById, dossier.procedureId, Procedure.from, fieldsAsked(info, 'Procedure'));
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The handling agency.' })
  async agency(@Root() dossier: Dossier, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, dossier.agencyId, Agency.from, fieldsAsked(info, 'Agency'));
  }

  @FieldResolver(() => Applicant, { nullable: true, description: "The applicant: a citizen (whose personal fields follow the policy) or a business." })
  async applicant(@Root() dossier: Dossier, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Citizen | Business | null> {
    if (dossier.applicantKind === 'CITIZEN') return loadAs(loaders.population.citizenById, dossier.applicantId, Citizen.from, fieldsAsked(info, 'Citizen'));
    // A document that asks nothing of a business applicant (only `... on Citizen`) gets `{}` for
    // one: there is nothing to load (the dossier's key names it).
    if (!selectsAnything(info, 'Business')) return Object.assign(new Business(), { id: toGlobalId('Business', dossier.applicantId), rowId: dossier.applicantId });
    return loadAs(loaders.business.businessById, dossier.applicantId, Business.from, fieldsAsked(info, 'Business'));
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward (phường/xã) the dossier is recorded under.' })
  async ward(@Root() dossier: Dossier, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, dossier.wardId, AdministrativeUnit.from, fieldsAsked(info, 'AdministrativeUnit'));
  }

  @FieldResolver(() => DossierEventConnection, { description: 'The steps of its handling, in order.' })
  async events(
    @Root() dossier: Dossier,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<DossierEventConnection> {
    // A dossier has a handful of events: fetched whole for a batch of dossiers, paged here.
    const rows = await loaders.services.dossierEvents.load(dossier.rowId);
    return DossierEventConnection.of(pageFromRows(rows, EVENT_KEYSET, cursors.page(page)), DossierEvent.from, async () => rows.length);
  }
}
