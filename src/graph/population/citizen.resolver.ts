import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { CitizenFilter as CitizenWhere } from '../../sources/population/index.js';
import type { GraphContext } from '../context.js';
import { Personal } from '../personal/personal.js';
import { AdministrativeUnit } from '../reference/administrative-unit.type.js';
import { districtWardIds } from '../reference/district-wards.js';
import { ConnectionArgs } from '../relay/connection.args.js';
import { optionalGlobalId } from '../relay/global-id.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household } from './household.type.js';
import { CitizenOrder } from './population.enums.js';
import { CitizenFilter } from './population.inputs.js';
import { citizenInScope, citizenScopeFilter } from './population-scope.js';

const EMPTY_PAGE = { edges: [], hasNextPage: false, hasPreviousPage: false };

async function toWhere(filter: CitizenFilter | null, ctx: GraphContext): Promise<CitizenWhere> {
  return {
    wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
    wardIds: filter?.districtId ? await districtWardIds(filter.districtId, ctx, 'filter.districtId') : null,
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
  @Query(() => CitizenConnection, { description: 'Residents, filtered and ordered.' })
  async citizens(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => CitizenFilter, { nullable: true }) filter: CitizenFilter | null,
    @Arg('orderBy', () => CitizenOrder, { defaultValue: CitizenOrder.NAME }) orderBy: CitizenOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<CitizenConnection> {
    const scope = await citizenScopeFilter(ctx);
    if (!scope) return CitizenConnection.of(EMPTY_PAGE, Citizen.from, async () => 0);
    // The caller's row scope and the client's filter are ANDed in SQL.
    const where = { ...(await toWhere(filter, ctx)), ...scope };
    const rows = await ctx.repos.population.citizens.list(where, orderBy, page);
    return CitizenConnection.of(rows, Citizen.from, () => ctx.repos.population.citizens.count(where));
  }

  @Query(() => Citizen, { nullable: true, description: 'A resident by 12-digit national id; null when missing or outside the caller’s scope.' })
  async citizen(@Arg('nationalId', () => String) nationalId: string, @Ctx() ctx: GraphContext): Promise<Citizen | null> {
    const row = await ctx.loaders.citizenByNationalId.load(nationalId);
    return row && (await citizenInScope(ctx, row.id)) ? Citizen.from(row) : null;
  }

  @Query(() => Citizen, { nullable: true, description: 'The calling citizen (role citizen), with their own data.' })
  async me(@Ctx() ctx: GraphContext): Promise<Citizen | null> {
    const nationalId = ctx.principal.citizenNationalId;
    const row = nationalId ? await ctx.loaders.citizenByNationalId.load(nationalId) : null;
    return row ? Citizen.from(row) : null;
  }

  @Personal('WARD', 'Citizen')
  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward of residence.' })
  async ward(@Root() citizen: Citizen, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    const row = await loaders.unitById.load(citizen.wardId);
    return row ? AdministrativeUnit.from(row) : null;
  }

  @Personal('HOUSEHOLD', 'Citizen')
  @FieldResolver(() => Household, { nullable: true })
  async household(@Root() citizen: Citizen, @Ctx() { loaders }: GraphContext): Promise<Household | null> {
    const row = await loaders.householdById.load(citizen.householdId);
    return row ? Household.from(row) : null;
  }
}
