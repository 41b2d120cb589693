import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { CitizenWhere } from '../db/index.js';
import type { GraphContext } from '../../context.js';
import { Personal, PersonalArgs } from '../../../access/graphql/personal.js';
import { queryBy } from '../../../access/graphql/query-guard.js';
import { AdministrativeUnit, districtWardIds } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { fieldsAsked, selectedFields } from '../../../platform/relay/selection.js';
import { planColumns } from '../../../platform/loaders/batch.js';
import { CITIZEN_COLUMNS } from '../loaders.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household } from './household.type.js';
import { CitizenOrder } from './population.enums.js';
import { CitizenFilter } from './population.inputs.js';
import { citizenInScope, citizenScopeFilter } from '../scope.js';

async function toWhere(filter: CitizenFilter | null, ctx: GraphContext): Promise<CitizenWhere> {
  return {
    wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
    wardIds: filter?.districtId != null ? await districtWardIds(filter.districtId, ctx, 'filter.districtId') : null,
    householdId: optionalGlobalId(filter?.householdId, 'Household', 'filter.householdId'),
    gender: filter?.gender ?? null,
    bornFrom: filter?.bornFrom ?? null,
    bornTo: filter?.bornTo ?? null,
    search: filter?.search ?? null,
    nationalId: filter?.nationalId ?? null,
  };
}

@Resolver(() => Citizen)
export class CitizenResolver {
  @Query(() => CitizenConnection, {
    nullable: true,
    description: 'Residents the caller may find, filtered and ordered (filters and orderings on personal fields need read access to them).',
  })
  @PersonalArgs({
    orderBy: { values: { [CitizenOrder.NAME]: { kind: 'NAME', reveals: 'fullName' }, [CitizenOrder.BIRTH_DATE]: { kind: 'BIRTH_DATE', reveals: 'birthDate' } } },
  })
  async citizens(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => CitizenFilter, { nullable: true, description: 'Only the citizens matching these conditions.' }) filter: CitizenFilter | null,
    @OrderByArg(CitizenOrder, CitizenOrder.NAME, 'How to order the citizens (orderings by a personal field need read access to it).') orderBy: CitizenOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CitizenConnection> {
    const scope = await citizenScopeFilter(ctx);
    if (!scope) return CitizenConnection.empty();
    const query = await queryBy(ctx, info);
    // The caller's row scope and the client's filter are ANDed in SQL.
    const where = { ...(await toWhere(filter, ctx)), ...query.within('CITIZEN', scope) };
    // Only the columns of the fields the document selects on the page's citizens (and what the guard and the log read).
    const columns = planColumns(CITIZEN_COLUMNS, selectedFields(info, 'Citizen', ['edges', 'node']));
    const rows = await ctx.repos.population.citizens.list(where, orderBy, ctx.cursors.page(page), columns);
    query.answered(rows.edges.map((edge) => ({ type: 'CITIZEN', rowId: edge.node.id, nationalId: edge.node.national_id })));
    return CitizenConnection.of(rows, Citizen.from, () => {
      query.counted();
      return ctx.repos.population.citizens.count(where);
    });
  }

  @Query(() => Citizen, { nullable: true, description: 'A resident by 12-digit national id; null when missing or outside the caller’s scope.' })
  @PersonalArgs({ nationalId: { kind: 'NATIONAL_ID', reveals: 'nationalId', as: 'look up by national id' } })
  async citizen(
    @Arg('nationalId', () => String, { description: '12-digit national id (căn cước).' }) nationalId: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Citizen | null> {
    if (ctx.access.excluded('citizens')) return null;
    const query = await queryBy(ctx, info);
    const row = await ctx.loaders.population.citizenByNationalId.load(nationalId);
    // The scope check runs for a missing citizen too: hidden and missing cost the same.
    const inScope = await citizenInScope(ctx, row?.id ?? 0);
    const visible = row && inScope && query.admits('CITIZEN', row.id) ? row : null;
    // Logged found or not: the value searched for (hashed), and the person when found.
    query.answered(visible ? [{ type: 'CITIZEN', rowId: visible.id, nationalId: visible.national_id }] : []);
    return visible ? Citizen.from(visible) : null;
  }

  @Query(() => Citizen, { nullable: true, description: 'The calling citizen (role citizen), with their own data.' })
  async me(@Ctx() ctx: GraphContext): Promise<Citizen | null> {
    return loadAs(ctx.loaders.population.citizenByNationalId, ctx.principal.citizenNationalId || null, Citizen.from);
  }

  @Personal('WARD')
  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward of residence (phường/xã).' })
  async ward(@Root() citizen: Citizen, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, citizen.wardId, AdministrativeUnit.from, fieldsAsked(info, 'AdministrativeUnit'));
  }

  @Personal('HOUSEHOLD')
  @FieldResolver(() => Household, { nullable: true, description: 'The household (hộ khẩu) the citizen is registered in.' })
  async household(@Root() citizen: Citizen, @Ctx() { loaders }: GraphContext): Promise<Household | null> {
    return loadAs(loaders.population.householdById, citizen.householdId, Household.from);
  }
}
