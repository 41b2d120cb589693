import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { AdministrativeUnit, districtWardIds } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household, HouseholdConnection } from './household.type.js';
import { CitizenOrder, HouseholdOrder } from './population.enums.js';
import { HouseholdFilter } from './population.inputs.js';
import { Personal } from '../../../access/graphql/personal.js';
import { queryBy, type PersonalUse } from '../../../access/graphql/query-guard.js';
import { householdScopeFilter } from './population-scope.js';

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => HouseholdConnection, { nullable: true, description: 'Households in the resident register (members and admins with a purpose).' })
  async households(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => HouseholdFilter, { nullable: true, description: 'Only the households matching these conditions.' }) filter: HouseholdFilter | null,
    @OrderByArg(HouseholdOrder, HouseholdOrder.CODE, 'How to order the households (each ordering needs read access to the field it orders by).') orderBy: HouseholdOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<HouseholdConnection> {
    const scope = await householdScopeFilter(ctx);
    if (!scope) return HouseholdConnection.empty();
    const uses: PersonalUse[] = [];
    if (filter?.search) uses.push({ kind: 'ADDRESS', field: 'address', value: filter.search, use: 'search by address' });
    if (filter?.wardId != null || filter?.districtId != null) {
      const value = filter.wardId != null ? `ward ${filter.wardId}` : `district ${filter.districtId}`;
      uses.push({ kind: 'WARD', field: 'ward', value, use: 'filter by ward or district' });
    }
    uses.push(orderBy === HouseholdOrder.ADDRESS ? { kind: 'ADDRESS', field: 'address', use: 'order by ADDRESS' } : { kind: 'HOUSEHOLD', field: 'code', use: 'order by CODE' });
    const query = await queryBy(ctx, uses, info);
    const where = {
      // A purpose bound to a case opens its person, never a household record: the search finds none.
      ...(query.narrowTo ? { ids: [] } : scope),
      wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
      wardIds: filter?.districtId != null ? await districtWardIds(filter.districtId, ctx, 'filter.districtId') : null,
      search: filter?.search ?? null,
    };
    const rows = await ctx.repos.population.households.list(where, orderBy, page);
    query.answered(rows.edges.map((edge) => ({ type: 'HOUSEHOLD', rowId: edge.node.id, nationalId: null })));
    return HouseholdConnection.of(rows, Household.from, () => {
      query.counted();
      return ctx.repos.population.households.count(where);
    });
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward (phường/xã) of the household.' })
  async ward(@Root() household: Household, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    const row = await loaders.reference.unitById.load(household.wardId);
    return row ? AdministrativeUnit.from(row) : null;
  }

  @Personal('HOUSEHOLD', 'Household')
  @FieldResolver(() => Citizen, { nullable: true, description: 'The head of the household.' })
  async head(@Root() household: Household, @Ctx() { loaders }: GraphContext): Promise<Citizen | null> {
    if (household.headCitizenId === null) return null;
    const row = await loaders.population.citizenById.load(household.headCitizenId);
    return row ? Citizen.from(row) : null;
  }

  @Personal('HOUSEHOLD', 'Household')
  @FieldResolver(() => CitizenConnection, { nullable: true, description: 'Members, newest registration first.' })
  async members(
    @Root() household: Household,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders }: GraphContext,
  ): Promise<CitizenConnection | null> {
    // By registration (id), not by name: the order must not reveal names the caller may not read.
    const rows = await loaders.population.householdMembers(CitizenOrder.NEWEST, page).load(household.rowId);
    return CitizenConnection.of(rows, Citizen.from, () => loaders.population.householdMemberCount(null).load(household.rowId));
  }
}
