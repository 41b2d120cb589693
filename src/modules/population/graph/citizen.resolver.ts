import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { citizenScope } from '../../../access/policy.js';
import type { CitizenFilter as CitizenWhere } from '../db/index.js';
import type { GraphContext } from '../../context.js';
import { Personal } from '../../../access/graphql/personal.js';
import { queryBy, type PersonalQuery, type PersonalUse } from '../../../access/graphql/query-guard.js';
import { AdministrativeUnit, districtWardIds } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household } from './household.type.js';
import { CitizenOrder } from './population.enums.js';
import { CitizenFilter } from './population.inputs.js';
import { citizenInScope, citizenScopeFilter } from './population-scope.js';

const ORDER_USE: Record<CitizenOrder, PersonalUse | null> = {
  NAME: { kind: 'NAME', field: 'fullName', use: 'order by NAME' },
  BIRTH_DATE: { kind: 'BIRTH_DATE', field: 'birthDate', use: 'order by BIRTH_DATE' },
  NEWEST: null,
};

/** The personal fields a filter and an ordering would reveal, with the values asked for (hashed in the log). */
function personalUses(filter: CitizenFilter | null, orderBy: CitizenOrder): PersonalUse[] {
  const uses: PersonalUse[] = [];
  if (filter?.wardId != null || filter?.districtId != null) {
    const value = filter.wardId != null ? `ward ${filter.wardId}` : `district ${filter.districtId}`;
    uses.push({ kind: 'WARD', field: 'ward', value, use: 'filter by ward or district' });
  }
  if (filter?.householdId) uses.push({ kind: 'HOUSEHOLD', field: 'household', value: filter.householdId, use: 'filter by household' });
  if (filter?.gender) uses.push({ kind: 'GENDER', field: 'gender', value: filter.gender, use: 'filter by gender' });
  if (filter?.bornFrom || filter?.bornTo) {
    uses.push({ kind: 'BIRTH_DATE', field: 'birthDate', value: `${filter.bornFrom ?? ''}..${filter.bornTo ?? ''}`, use: 'filter by birth date' });
  }
  if (filter?.search) uses.push({ kind: 'NAME', field: 'fullName', value: filter.search, use: 'search by name' });
  if (filter?.nationalId) uses.push({ kind: 'NATIONAL_ID', field: 'nationalId', value: filter.nationalId, use: 'filter by national id' });
  const order = ORDER_USE[orderBy];
  if (order) uses.push(order);
  return uses;
}

/** The caller's row scope narrowed to the people a purpose's case opens, when the query needs it. */
function narrowed(scope: { ids?: number[] }, query: PersonalQuery): { ids?: number[] } {
  if (!query.narrowTo) return scope;
  const open = query.narrowTo;
  return { ids: scope.ids ? scope.ids.filter((id) => open.includes(id)) : [...open] };
}

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
  async citizens(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => CitizenFilter, { nullable: true, description: 'Only the citizens matching these conditions.' }) filter: CitizenFilter | null,
    @OrderByArg(CitizenOrder, CitizenOrder.NAME, 'How to order the citizens (orderings by a personal field need read access to it).') orderBy: CitizenOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CitizenConnection> {
    const scope = await citizenScopeFilter(ctx);
    if (!scope) return CitizenConnection.empty();
    const query = await queryBy(ctx, personalUses(filter, orderBy), info);
    // The caller's row scope and the client's filter are ANDed in SQL.
    const where = { ...(await toWhere(filter, ctx)), ...narrowed(scope, query) };
    const rows = await ctx.repos.population.citizens.list(where, orderBy, page);
    query.answered(rows.edges.map((edge) => ({ type: 'CITIZEN', rowId: edge.node.id, nationalId: edge.node.national_id })));
    return CitizenConnection.of(rows, Citizen.from, () => {
      query.counted();
      return ctx.repos.population.citizens.count(where);
    });
  }

  @Query(() => Citizen, { nullable: true, description: 'A resident by 12-digit national id; null when missing or outside the caller’s scope.' })
  async citizen(
    @Arg('nationalId', () => String, { description: '12-digit national id (căn cước).' }) nationalId: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Citizen | null> {
    if (citizenScope(ctx.principal).kind === 'none') return null;
    const query = await queryBy(ctx, [{ kind: 'NATIONAL_ID', field: 'nationalId', value: nationalId, use: 'look up by national id' }], info);
    const row = await ctx.loaders.population.citizenByNationalId.load(nationalId);
    // The scope check runs for a missing citizen too: hidden and missing cost the same.
    const inScope = await citizenInScope(ctx, row?.id ?? 0);
    const visible = row && inScope && (!query.narrowTo || query.narrowTo.includes(row.id)) ? row : null;
    // Logged found or not: the value searched for (hashed), and the person when found.
    query.answered(visible ? [{ type: 'CITIZEN', rowId: visible.id, nationalId: visible.national_id }] : []);
    return visible ? Citizen.from(visible) : null;
  }

  @Query(() => Citizen, { nullable: true, description: 'The calling citizen (role citizen), with their own data.' })
  async me(@Ctx() ctx: GraphContext): Promise<Citizen | null> {
    const nationalId = ctx.principal.citizenNationalId;
    const row = nationalId ? await ctx.loaders.population.citizenByNationalId.load(nationalId) : null;
    return row ? Citizen.from(row) : null;
  }

  @Personal('WARD', 'Citizen')
  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward of residence (phường/xã).' })
  async ward(@Root() citizen: Citizen, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    const row = await loaders.reference.unitById.load(citizen.wardId);
    return row ? AdministrativeUnit.from(row) : null;
  }

  @Personal('HOUSEHOLD', 'Citizen')
  @FieldResolver(() => Household, { nullable: true, description: 'The household (hộ khẩu) the citizen is registered in.' })
  async household(@Root() citizen: Citizen, @Ctx() { loaders }: GraphContext): Promise<Household | null> {
    const row = await loaders.population.householdById.load(citizen.householdId);
    return row ? Household.from(row) : null;
  }
}
