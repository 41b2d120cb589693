import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { badUserInput, gatewayError } from '../../../platform/errors.js';
import { Agency } from '../../reference/module.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { statisticsAgencyScope } from '../scope.js';
import { DossierGroupRatesType, DossierRatesType, DossierStatistics } from './dossier-statistics.type.js';
import { isWholeDay, suppressSmallGroups } from './dossier-statistics.suppression.js';
import { DossierDimension } from './services.enums.js';
import { DossierStatisticsFilter } from './services.inputs.js';

@Resolver(() => DossierStatistics)
export class DossierStatisticsResolver {
  @Query(() => DossierStatistics, {
    nullable: true,
    description:
      'Dossier counts, online rate, on-time and overdue rates, optionally grouped (IOC dashboards). Analysts and admins: all; officers: their agency. Below admin, groups of fewer than minimumGroupSize dossiers are withheld (and as many others as needed so that none can be derived), figures over fewer dossiers than that are FORBIDDEN, and from/to must be whole days (midnight in Đà Nẵng time).',
  })
  async dossierStatistics(
    @Arg('filter', () => DossierStatisticsFilter, { nullable: true, description: 'Which dossiers to count; all of them in the caller’s scope when absent.' }) filter: DossierStatisticsFilter | null,
    // Nullable with its default, as Relay accepts for a fragment argument (like every orderBy).
    @Arg('groupBy', () => [DossierDimension], { nullable: true, defaultValue: [], description: 'Dimensions to group by; none (totals only) when null or absent.' })
    groupByArg: DossierDimension[] | null,
    @Ctx() ctx: GraphContext,
  ): Promise<DossierStatistics> {
    const groupBy = groupByArg ?? [];
    const agencyIds = await statisticsAgencyScope(ctx);
    if (agencyIds === null) throw gatewayError('FORBIDDEN', 'Dossier statistics are for analysts, admins and officers (their own agency)');
    const protection = ctx.access.statisticsProtection();
    if (protection) {
      // A window narrower than a day isolates one dossier by its submission time (public via dossierStatus).
      for (const [name, bound] of [['from', filter?.from], ['to', filter?.to]] as const) {
        if (bound && !isWholeDay(bound)) throw badUserInput(`filter.${name} must be a whole day: midnight in Đà Nẵng time, e.g. 2024-01-01T00:00:00+07:00`);
      }
    }
    const where = {
      from: filter?.from ?? null,
      to: filter?.to ?? null,
      agencyId: optionalGlobalId(filter?.agencyId, 'Agency', 'filter.agencyId'),
      procedureId: optionalGlobalId(filter?.procedureId, 'Procedure', 'filter.procedureId'),
      agencyIds: agencyIds ?? null,
    };
    // Totals and groups over the rollups (db/rollups.ts), never a scan of the dossiers: one
    // statement for every dossierStatistics field of the document (the request's repository batches them).
    const { totals, groups: allGroups } = await ctx.repos.services.dossierStats.tableInBatch(groupBy, where, ctx.now);
    // No figure over fewer than k dossiers: none found and few found answer alike.
    if (protection && totals.total < protection.minimumCell) {
      throw gatewayError('FORBIDDEN', `Fewer than ${protection.minimumCell} dossiers match this filter: figures about so few are withheld`);
    }
    const groups = protection ? suppressSmallGroups(allGroups, groupBy, protection.minimumCell) : allGroups;
    return Object.assign(new DossierStatistics(), {
      totals: DossierRatesType.from(totals),
      groups: groups.map((group) => DossierGroupRatesType.fromGroup(group)),
      suppressedGroups: allGroups.length - groups.length,
      minimumGroupSize: protection?.minimumCell ?? null,
    });
  }
}

@Resolver(() => DossierGroupRatesType)
export class DossierGroupResolver {
  @FieldResolver(() => Agency, { nullable: true, description: 'The handling agency of the group; null unless grouped by AGENCY.' })
  async agency(@Root() group: DossierGroupRatesType, @Ctx() { loaders }: GraphContext): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, group.agencyId, Agency.from);
  }
}
