import type { GraphQLResolveInfo } from 'graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Agency } from '../../reference/module.js';
import { countOf } from '../../../platform/db/keyset.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { columnsFor, selectedFields } from '../../../platform/relay/selection.js';
import { indicatorRowScope, isIndicatorInScope } from '../scope.js';
import { indicatorWhere } from './indicator-where.js';
import { Indicator, INDICATOR_COLUMNS, IndicatorConnection } from './indicator.type.js';
import { IndicatorOrder } from './ioc.enums.js';
import { IndicatorFilter, ObservationFilter } from './ioc.inputs.js';
import { Observation, ObservationConnection } from './observation.type.js';

/** A series is for charts: at most this many points, the newest ones (20 years of months). */
export const MAX_SERIES_POINTS = 240;

@Resolver(() => Indicator)
export class IndicatorResolver {
  @Query(() => IndicatorConnection, { nullable: true, description: "The IOC's indicators (internal ones only for those allowed to see them)." })
  async indicators(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => IndicatorFilter, { nullable: true, description: 'Only the indicators matching these conditions.' }) filter: IndicatorFilter | null,
    @OrderByArg(IndicatorOrder, IndicatorOrder.NAME, 'How to order the indicators.') orderBy: IndicatorOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<IndicatorConnection> {
    const where = await indicatorWhere(filter, ctx);
    // Only the columns of the fields asked; `latest` (the same source) in the page's statement,
    // primed into the city-wide loader `latest` reads (a ward's `latest` still asks its own).
    const selected = selectedFields(info, 'Indicator', ['edges', 'node']);
    const columns = columnsFor(selected, INDICATOR_COLUMNS, ['id']);
    const rows = await ctx.repos.ioc.indicators.list(where, orderBy, ctx.cursors.page(page), columns, selected.has('latest'));
    if (rows.latest) {
      const cityWide = ctx.loaders.ioc.indicatorLatest(null);
      for (const [indicatorId, observation] of rows.latest) cityWide.prime(indicatorId, observation);
    }
    // A page that holds the whole filtered list is its own count.
    return IndicatorConnection.of(rows, Indicator.from, countOf(rows, () => ctx.repos.ioc.indicators.count(where)));
  }

  @Query(() => Indicator, { nullable: true, description: 'An indicator by its code; null when there is none the caller may see.' })
  async indicator(@Arg('code', () => String, { description: 'Stable code, e.g. "FULL_ONLINE_PUBLIC_SERVICES_RATE".' }) code: string, @Ctx() ctx: GraphContext): Promise<Indicator | null> {
    return loadInScopeAs(ctx.loaders.ioc.indicatorByCode, code, () => indicatorRowScope(ctx), isIndicatorInScope, Indicator.from);
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The agency responsible for the indicator.' })
  async owner(@Root() indicator: Indicator, @Ctx() { loaders }: GraphContext): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, indicator.ownerId, Agency.from);
  }

  @FieldResolver(() => ObservationConnection, { description: 'Its values, newest period first.' })
  async observations(
    @Root() indicator: Indicator,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => ObservationFilter, { nullable: true, description: 'Only the values matching these conditions.' }) filter: ObservationFilter | null,
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<ObservationConnection> {
    const where = {
      wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId') ?? null,
      cityWide: filter?.cityWide ?? null,
      from: filter?.from ?? null,
      to: filter?.to ?? null,
    };
    const rows = await loaders.ioc.indicatorObservations(where, cursors.page(page)).load(indicator.rowId);
    return ObservationConnection.of(rows, Observation.from, countOf(rows, () => loaders.ioc.observationCountByIndicator(where).load(indicator.rowId)));
  }

  @FieldResolver(() => Observation, { nullable: true, description: 'The newest value for a ward, or the city-wide one when no ward is given.' })
  async latest(
    @Root() indicator: Indicator,
    @Arg('wardId', () => ID, { nullable: true, description: 'Global id of a ward.' }) wardId: string | null,
    @Ctx() { loaders }: GraphContext,
  ): Promise<Observation | null> {
    const ward = optionalGlobalId(wardId, 'AdministrativeUnit', 'wardId') ?? null;
    return loadAs(loaders.ioc.indicatorLatest(ward), indicator.rowId, Observation.from);
  }

  @FieldResolver(() => [Observation], {
    description: `A time series for charts: the values of one place (a ward, or city-wide when no ward is given) in a period range, oldest first; at most the newest ${MAX_SERIES_POINTS} points.`,
  })
  async series(
    @Root() indicator: Indicator,
    @Arg('from', () => LocalDateResolver, { nullable: true, description: 'First period (inclusive).' }) from: string | null,
    @Arg('to', () => LocalDateResolver, { nullable: true, description: 'Last period (inclusive).' }) to: string | null,
    @Arg('wardId', () => ID, { nullable: true, description: 'Global id of a ward.' }) wardId: string | null,
    @Ctx() { loaders }: GraphContext,
  ): Promise<Observation[]> {
    const filter = { from: from ?? null, to: to ?? null, wardId: optionalGlobalId(wardId, 'AdministrativeUnit', 'wardId') ?? null };
    const rows = await loaders.ioc.indicatorSeries(filter).load(indicator.rowId);
    return rows.slice(-MAX_SERIES_POINTS).map(Observation.from);
  }
}
