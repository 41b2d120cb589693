import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { DossierDimension as Dimension } from '../../sources/services/index.js';
import type { GraphContext } from '../context.js';
import { gatewayError } from '../errors.js';
import { Agency } from '../reference/agency.type.js';
import { optionalGlobalId } from '../relay/global-id.js';
import { statisticsAgencyScope } from './dossier-scope.js';
import { DossierGroupRatesType, DossierRatesType, DossierStatistics } from './dossier-statistics.type.js';
import { DossierDimension } from './services.enums.js';
import { DossierStatisticsFilter } from './services.inputs.js';

@Resolver(() => DossierStatistics)
export class DossierStatisticsResolver {
  @Query(() => DossierStatistics, {
    nullable: true,
    description: 'Dossier counts, online rate, on-time and overdue rates, optionally grouped (IOC dashboards). Analysts and admins: all; officers: their agency.',
  })
  async dossierStatistics(
    @Arg('filter', () => DossierStatisticsFilter, { nullable: true }) filter: DossierStatisticsFilter | null,
    @Arg('groupBy', () => [DossierDimension], { defaultValue: [] }) groupBy: DossierDimension[],
    @Ctx() ctx: GraphContext,
  ): Promise<DossierStatistics> {
    const agencyIds = await statisticsAgencyScope(ctx);
    if (agencyIds === null) throw gatewayError('FORBIDDEN', 'Dossier statistics are for analysts, admins and officers (their own agency)');
    const where = {
      from: filter?.from ?? null,
      to: filter?.to ?? null,
      agencyId: optionalGlobalId(filter?.agencyId, 'Agency', 'filter.agencyId'),
      procedureId: optionalGlobalId(filter?.procedureId, 'Procedure', 'filter.procedureId'),
      agencyIds: agencyIds ?? null,
    };
    const { dossierStats } = ctx.repos.services;
    const [totals, groups] = await Promise.all([
      dossierStats.rates(where, ctx.now),
      groupBy.length ? dossierStats.ratesBy(groupBy as Dimension[], where, ctx.now) : Promise.resolve([]),
    ]);
    return Object.assign(new DossierStatistics(), {
      totals: DossierRatesType.from(totals),
      groups: groups.map((group) => DossierGroupRatesType.fromGroup(group)),
    });
  }
}

@Resolver(() => DossierGroupRatesType)
export class DossierGroupResolver {
  @FieldResolver(() => Agency, { nullable: true })
  async agency(@Root() group: DossierGroupRatesType, @Ctx() { loaders }: GraphContext): Promise<Agency | null> {
    if (group.agencyId === null) return null;
    const row = await loaders.agencyById.load(group.agencyId);
    return row ? Agency.from(row) : null;
  }
}
