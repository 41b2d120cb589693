import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
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
    @Ctx() { repos, cursors }: GraphContext,
  ): Promise<AdministrativeUnitConnection> {
    const where = {
      level: filter?.level ?? null,
      parentId: optionalGlobalId(filter?.parentId, 'AdministrativeUnit', 'filter.parentId'),
      search: filter?.search ?? null,
    };
    const rows = await repos.reference.units.list(where, orderBy, cursors.page(page));
    return AdministrativeUnitConnection.of(rows, AdministrativeUnit.from, () => repos.reference.units.count(where));
  }

  @Query(() => AdministrativeUnit, { nullable: true, description: 'A unit by its code, e.g. "492" (Hải Châu).' })
  async administrativeUnit(@Arg('code', () => String, { description: 'Unit code, e.g. "492".' }) code: string, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitByCode, code, AdministrativeUnit.from);
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The unit this one belongs to (a ward’s district).' })
  async parent(@Root() unit: AdministrativeUnit, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, unit.parentId, AdministrativeUnit.from);
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
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<AdministrativeUnitConnection> {
    const rows = await loaders.reference.unitChildren(UnitOrder.NAME, cursors.page(page)).load(unit.rowId);
    return AdministrativeUnitConnection.of(rows, AdministrativeUnit.from, () => loaders.reference.unitChildCount(null).load(unit.rowId));
  }
}
