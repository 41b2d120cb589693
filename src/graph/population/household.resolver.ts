import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../context.js';
import { AdministrativeUnit } from '../reference/administrative-unit.type.js';
import { districtWardIds } from '../reference/district-wards.js';
import { ConnectionArgs } from '../relay/connection.args.js';
import { optionalGlobalId } from '../relay/global-id.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household, HouseholdConnection } from './household.type.js';
import { CitizenOrder, HouseholdOrder } from './population.enums.js';
import { HouseholdFilter } from './population.inputs.js';
import { requireQueryableBy } from '../personal/query-guard.js';
import { householdScopeFilter } from './population-scope.js';

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => HouseholdConnection, { nullable: true, description: 'Households in the resident register (members and admins with a purpose).' })
  async households(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => HouseholdFilter, { nullable: true }) filter: HouseholdFilter | null,
    @Arg('orderBy', () => HouseholdOrder, { defaultValue: HouseholdOrder.CODE }) orderBy: HouseholdOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<HouseholdConnection> {
    const scope = await householdScopeFilter(ctx);
    if (!scope) return HouseholdConnection.empty();
    await requireQueryableBy(ctx, [
      ...(filter?.search ? [['ADDRESS', 'search by address'] as const] : []),
      ...(filter?.wardId != null || filter?.districtId != null ? [['WARD', 'filter by ward or district'] as const] : []),
      orderBy === HouseholdOrder.ADDRESS ? (['ADDRESS', 'order by ADDRESS'] as const) : (['HOUSEHOLD', 'order by CODE'] as const),
    ]);
    const where = {
      ...scope,
      wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
      wardIds: filter?.districtId != null ? await districtWardIds(filter.districtId, ctx, 'filter.districtId') : null,
      search: filter?.search ?? null,
    };
    const rows = await ctx.repos.population.households.list(where, orderBy, page);
    return HouseholdConnection.of(rows, Household.from, () => ctx.repos.population.households.count(where));
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true })
  async ward(@Root() household: Household, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    const row = await loaders.unitById.load(household.wardId);
    return row ? AdministrativeUnit.from(row) : null;
  }

  @FieldResolver(() => Citizen, { nullable: true, description: 'The head of the household.' })
  async head(@Root() household: Household, @Ctx() { loaders }: GraphContext): Promise<Citizen | null> {
    if (household.headCitizenId === null) return null;
    const row = await loaders.citizenById.load(household.headCitizenId);
    return row ? Citizen.from(row) : null;
  }

  @FieldResolver(() => CitizenConnection, { description: 'Members, newest registration first.' })
  async members(
    @Root() household: Household,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders }: GraphContext,
  ): Promise<CitizenConnection> {
    // By registration (id), not by name: the order must not reveal names the caller may not read.
    const rows = await loaders.householdMembers(CitizenOrder.NEWEST, page).load(household.rowId);
    return CitizenConnection.of(rows, Citizen.from, () => loaders.householdMemberCount(null).load(household.rowId));
  }
}
