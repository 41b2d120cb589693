import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { AdministrativeUnit, AdministrativeUnitConnection } from './administrative-unit.type.js';
import { UnitLevel, UnitOrder } from './reference.enums.js';
import { AdministrativeUnitFilter } from './reference.inputs.js';

@Resolver(() => AdministrativeUnit)
export class AdministrativeUnitResolver {
  @Query(() => AdministrativeUnitConnection, { nullable: true, description: 'Đà Nẵng, its districts and its 56 wards and communes.' })
  async administrativeUnits(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => AdministrativeUnitFilter, { nullable: true, description: 'Only the units matching these conditions.' }) filter: AdministrativeUnitFilter | null,
    @OrderByArg(UnitOrder, UnitOrder.NAME, 'How to order the units.') orderBy: UnitOrder,
    @Ctx() { repos }: GraphContext,
  ): Promise<AdministrativeUnitConnection> {
    const where = {
      level: filter?.level ?? null,
      parentId: optionalGlobalId(filter?.parentId, 'AdministrativeUnit', 'filter.parentId'),
      search: filter?.search ?? null,
    };
    const rows = await repos.reference.units.list(where, orderBy, page);
    return AdministrativeUnitConnection.of(rows, AdministrativeUnit.from, () => repos.reference.units.count(where));
  }

  @Query(() => AdministrativeUnit, { nullable: true, description: 'A unit by its code, e.g. "492" (Hải Châu).' })
  async administrativeUnit(@Arg('code', () => String, { description: 'Unit code, e.g. "492".' }) code: string, @Ctx() { repos }: GraphContext): Promise<AdministrativeUnit | null> {
    const row = await repos.reference.units.findByCode(code);
    return row ? AdministrativeUnit.from(row) : null;
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The unit this one belongs to (a ward’s district).' })
  async parent(@Root() unit: AdministrativeUnit, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    if (unit.parentId === null) return null;
    const row = await loaders.reference.unitById.load(unit.parentId);
    return row ? AdministrativeUnit.from(row) : null;
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The district of a ward; a district’s own self; null for the city.' })
  async district(@Root() unit: AdministrativeUnit, @Ctx() ctx: GraphContext): Promise<AdministrativeUnit | null> {
    if (unit.level === UnitLevel.DISTRICT) return unit;
    if (unit.level === UnitLevel.CITY) return null;
    return this.parent(unit, ctx);
  }

  @FieldResolver(() => AdministrativeUnitConnection, { description: 'Units directly below this one.' })
  async children(
    @Root() unit: AdministrativeUnit,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders }: GraphContext,
  ): Promise<AdministrativeUnitConnection> {
    const rows = await loaders.reference.unitChildren(UnitOrder.NAME, page).load(unit.rowId);
    return AdministrativeUnitConnection.of(rows, AdministrativeUnit.from, () => loaders.reference.unitChildCount(null).load(unit.rowId));
  }
}
