import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Agency } from '../../reference/module.js';
import { countOf } from '../../../platform/db/keyset.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { indicatorWhere } from './indicator-where.js';
import { Indicator, IndicatorConnection } from './indicator.type.js';
import { IndicatorOrder } from './ioc.enums.js';
import { OwnerIndicatorFilter } from './ioc.inputs.js';

/** The IOC side of an agency (the reference source knows nothing of indicators). */
@Resolver(() => Agency)
export class AgencyIndicatorsResolver {
  @FieldResolver(() => IndicatorConnection, {
    // Nullable like every relation to another source: its outage fails this field, not the agency.
    nullable: true,
    description: 'Indicators the agency is responsible for (those the caller may see); null with SOURCE_UNAVAILABLE when the ioc source is down.',
  })
  async indicators(
    @Root() agency: Agency,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => OwnerIndicatorFilter, { nullable: true, description: 'Only the indicators matching these conditions.' }) filter: OwnerIndicatorFilter | null,
    @OrderByArg(IndicatorOrder, IndicatorOrder.NAME, 'How to order the indicators.') orderBy: IndicatorOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<IndicatorConnection> {
    const where = await indicatorWhere(filter, ctx);
    // One statement for the pages of every agency in the parent list (a lateral join per agency).
    const rows = await ctx.loaders.ioc.indicatorsByOwner({ filter: where, order: orderBy }, ctx.cursors.page(page)).load(agency.rowId);
    return IndicatorConnection.of(rows, Indicator.from, countOf(rows, () => ctx.loaders.ioc.indicatorCountByOwner(where).load(agency.rowId)));
  }
}
