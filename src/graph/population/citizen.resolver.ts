import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { citizenScope } from '../../auth/policy.js';
import type { CitizenFilter as CitizenWhere } from '../../sources/population/index.js';
import type { GraphContext } from '../context.js';
import { Personal, type PersonalKind } from '../personal/personal.js';
import { requireQueryableBy } from '../personal/query-guard.js';
import { AdministrativeUnit } from '../reference/administrative-unit.type.js';
import { districtWardIds } from '../reference/district-wards.js';
import { ConnectionArgs } from '../relay/connection.args.js';
import { optionalGlobalId } from '../relay/global-id.js';
import { Citizen, CitizenConnection } from './citizen.type.js';
import { Household } from './household.type.js';
import { CitizenOrder } from './population.enums.js';
import { CitizenFilter } from './population.inputs.js';
import { citizenInScope, citizenScopeFilter } from './population-scope.js';

const ORDER_KIND: Record<CitizenOrder, PersonalKind | null> = { NAME: 'NAME', BIRTH_DATE: 'BIRTH_DATE', NEWEST: null };

/** The personal fields a filter and an ordering would reveal. */
function personalUses(filter: CitizenFilter | null, orderBy: CitizenOrder): Array<[PersonalKind, string]> {
  const uses: Array<[PersonalKind, string]> = [];
  if (filter?.wardId != null || filter?.districtId != null) uses.push(['WARD', 'filter by ward or district']);
  if (filter?.householdId) uses.push(['HOUSEHOLD', 'filter by household']);
  if (filter?.gender) uses.push(['GENDER', 'filter by gender']);
  if (filter?.bornFrom || filter?.bornTo) uses.push(['BIRTH_DATE', 'filter by birth date']);
  if (filter?.search) uses.push(['NAME', 'search by name']);
  if (filter?.nationalId) uses.push(['NATIONAL_ID', 'filter by national id']);
  const orderKind = ORDER_KIND[orderBy];
  if (orderKind) uses.push([orderKind, `order by ${orderBy}`]);
  return uses;
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
    @Arg('filter', () => CitizenFilter, { nullable: true }) filter: CitizenFilter | null,
    @Arg('orderBy', () => CitizenOrder, { defaultValue: CitizenOrder.NAME }) orderBy: CitizenOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<CitizenConnection> {
    const scope = await citizenScopeFilter(ctx);
    if (!scope) return CitizenConnection.empty();
    await requireQueryableBy(ctx, personalUses(filter, orderBy));
    // The caller's row scope and the client's filter are ANDed in SQL.
    const where = { ...(await toWhere(filter, ctx)), ...scope };
    const rows = await ctx.repos.population.citizens.list(where, orderBy, page);
    return CitizenConnection.of(rows, Citizen.from, () => ctx.repos.population.citizens.count(where));
  }

  @Query(() => Citizen, { nullable: true, description: 'A resident by 12-digit national id; null when missing or outside the caller’s scope.' })
  async citizen(@Arg('nationalId', () => String) nationalId: string, @Ctx() ctx: GraphContext): Promise<Citizen | null> {
    if (citizenScope(ctx.principal).kind === 'none') return null;
    await requireQueryableBy(ctx, [['NATIONAL_ID', 'look up by national id']]);
    const row = await ctx.loaders.citizenByNationalId.load(nationalId);
    // The scope check runs for a missing citizen too: hidden and missing cost the same.
    const visible = await citizenInScope(ctx, row?.id ?? 0);
    return row && visible ? Citizen.from(row) : null;
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
