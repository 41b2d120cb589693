import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { AdministrativeUnit, districtWardIds } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household, HouseholdConnection } from './household.type.js';
import { CitizenOrder, HouseholdOrder } from './population.enums.js';
import { HouseholdFilter } from './population.inputs.js';
import { Personal, PersonalArgs } from '../../../access/graphql/personal.js';
import { queryBy } from '../../../access/graphql/query-guard.js';
import { householdScopeFilter } from '../scope.js';

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => HouseholdConnection, { nullable: true, description: 'Households in the resident register (members and admins with a purpose).' })
  @PersonalArgs({
    orderBy: { values: { [HouseholdOrder.CODE]: { kind: 'HOUSEHOLD', reveals: 'code' }, [HouseholdOrder.ADDRESS]: { kind: 'ADDRESS', reveals: 'address' } } },
  })
  async households(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => HouseholdFilter, { nullable: true, description: 'Only the households matching these conditions.' }) filter: HouseholdFilter | null,
    @OrderByArg(HouseholdOrder, HouseholdOrder.CODE, 'How to order the households (each ordering needs read access to the field it orders by).') orderBy: HouseholdOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<HouseholdConnection> {
    const scope = await householdScopeFilter(ctx);
    if (!scope) return HouseholdConnection.empty();
    const query = await queryBy(ctx, info);
    const where = {
      // Under a purpose bound to a case, only among the people it opens (never a household record).
      ...query.within('HOUSEHOLD', scope),
      wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
      wardIds: filter?.districtId != null ? await districtWardIds(filter.districtId, ctx, 'filter.districtId') : null,
      search: filter?.search ?? null,
    };
    const rows = await ctx.repos.population.households.list(where, orderBy, ctx.cursors.page(page));
    query.answered(rows.edges.map((edge) => ({ type: 'HOUSEHOLD', rowId: edge.node.id, nationalId: null })));
    return HouseholdConnection.of(rows, Household.from, () => {
      query.counted();
      return ctx.repos.population.households.count(where);
    });
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward (phường/xã) of the household.' })
  async ward(@Root() household: Household, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, household.wardId, AdministrativeUnit.from);
  }

  @Personal('HOUSEHOLD')
  @FieldResolver(() => Citizen, { nullable: true, description: 'The head of the household.' })
  async head(@Root() household: Household, @Ctx() { loaders }: GraphContext): Promise<Citizen | null> {
    return loadAs(loaders.population.citizenById, household.headCitizenId, Citizen.from);
  }

  @Personal('HOUSEHOLD')
  @FieldResolver(() => CitizenConnection, { nullable: true, description: 'Members, newest registration first.' })
  async members(
    @Root() household: Household,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<CitizenConnection | null> {
    // By registration (id), not by name: the order must not reveal names the caller may not read.
    const rows = await loaders.population.householdMembers(CitizenOrder.NEWEST, cursors.page(page)).load(household.rowId);
    return CitizenConnection.of(rows, Citizen.from, () => loaders.population.householdMemberCount(null).load(household.rowId));
  }
}
