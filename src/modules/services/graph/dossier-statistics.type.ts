import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { DossierGroupRates, DossierRates } from '../db/index.js';
import { Agency } from '../../reference/module.js';
import { DossierChannel, DossierStatus } from './services.enums.js';

@ObjectType('DossierRates', { description: 'Dossier counts and rates (fractions from 0 to 1), computed in SQL.' })
export class DossierRatesType {
  @Field(() => Int, { description: 'Dossiers counted.' })
  total: number;

  @Field(() => Int, { description: 'Received online.' })
  online: number;

  @Field(() => Int, { description: 'Closed with a decision (completed or rejected).' })
  resolved: number;

  @Field(() => Int, { description: 'Resolved on or before the due time.' })
  onTime: number;

  @Field(() => Int, { description: 'Closed after the due time, or open past it.' })
  overdue: number;

  @Field(() => Float, { description: 'Share received online: online / total.' })
  onlineRate: number;

  @Field(() => Float, { description: 'Share resolved on time: onTime / resolved.' })
  onTimeRate: number;

  @Field(() => Float, { description: 'Share overdue: overdue / total.' })
  overdueRate: number;

  static from(rates: DossierRates): DossierRatesType {
    return Object.assign(new DossierRatesType(), {
      total: rates.total,
      online: rates.online,
      resolved: rates.resolved,
      onTime: rates.onTime,
      overdue: rates.overdue,
      onlineRate: rates.onlineRate,
      onTimeRate: rates.onTimeRate,
      overdueRate: rates.overdueRate,
    });
  }
}

@ObjectType('DossierGroupRates', { description: 'The figures of one group; the dimensions not grouped by are null.' })
export class DossierGroupRatesType extends DossierRatesType {
  agencyId: number | null;

  @Field(() => Agency, { nullable: true, description: 'The handling agency of the group; null unless grouped by AGENCY.' })
  agency: Agency | null;

  @Field(() => String, { nullable: true, description: 'Month of submission, YYYY-MM (Đà Nẵng time); null unless grouped by MONTH.' })
  month: string | null;

  @Field(() => DossierChannel, { nullable: true, description: 'Channel of the group; null unless grouped by CHANNEL.' })
  channel: DossierChannel | null;

  @Field(() => DossierStatus, { nullable: true, description: 'Status of the group; null unless grouped by STATUS.' })
  status: DossierStatus | null;

  static fromGroup(group: DossierGroupRates): DossierGroupRatesType {
    return Object.assign(new DossierGroupRatesType(), DossierRatesType.from(group), {
      agencyId: group.agencyId,
      agency: null,
      month: group.month,
      channel: group.channel,
      status: group.status,
    });
  }
}

@ObjectType('DossierStatistics', { description: 'Figures for IOC dashboards.' })
export class DossierStatistics {
  @Field(() => DossierRatesType, { description: 'Over every dossier the filter selects.' })
  totals: DossierRatesType;

  @Field(() => [DossierGroupRatesType], { description: 'Per group, when groupBy is given (ordered by the dimensions); small groups withheld below admin.' })
  groups: DossierGroupRatesType[];

  @Field(() => Int, { description: 'Groups withheld by small-cell protection (always 0 for admins).' })
  suppressedGroups: number;

  @Field(() => Int, { nullable: true, description: 'The smallest group shown (k); null when nothing is withheld for the caller (admins).' })
  minimumGroupSize: number | null;
}
