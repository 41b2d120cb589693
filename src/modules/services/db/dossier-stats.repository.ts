import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dossierConditions, overdueAt } from './dossier-conditions.js';
import type { ServicesDatabase } from './tables.js';
import { DOSSIER_DIMENSIONS, RESOLVED_STATUSES, type DossierChannel, type DossierDimension, type DossierStatus } from './vocabulary.js';

export interface DossierStatsWhere {
  /** Submitted at or after (inclusive). */
  from?: Date | null;
  /** Submitted before (exclusive). */
  to?: Date | null;
  agencyId?: number | null;
  /** Row scope: only these agencies' dossiers (empty: none). */
  agencyIds?: readonly number[] | null;
  procedureId?: number | null;
}

/** One group's key: the dimensions not grouped by are null. */
export interface DossierGroup {
  agencyId: number | null;
  /** 'YYYY-MM'. */
  month: string | null;
  channel: DossierChannel | null;
  status: DossierStatus | null;
}

export interface DossierCount extends DossierGroup {
  count: number;
}

/** Rates are fractions from 0 to 1, and 0 when their denominator is 0. */
export interface DossierRates {
  total: number;
  online: number;
  /** Closed with a decision returned (completed or rejected). */
  resolved: number;
  /** Resolved on or before the due time. */
  onTime: number;
  /** Closed after the due time, or open past it at `now`. */
  overdue: number;
  /** online / total: the article's "processed fully online" share. */
  onlineRate: number;
  /** onTime / resolved. */
  onTimeRate: number;
  /** overdue / total. */
  overdueRate: number;
}

export interface DossierGroupRates extends DossierGroup, DossierRates {}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Months are grouped by their start (cheap) and only the few group keys are formatted. */
const MONTH_START = sql`date_trunc('month', submitted_at at time zone ${sql.lit(TIME_ZONE)})`;

const DIMENSIONS: Record<DossierDimension, { alias: keyof DossierGroupRow; group: RawBuilder<unknown>; select: RawBuilder<unknown> }> = {
  AGENCY: { alias: 'agency_id', group: sql`agency_id`, select: sql`agency_id` },
  MONTH: { alias: 'month', group: MONTH_START, select: sql`to_char(${MONTH_START}, 'YYYY-MM')` },
  CHANNEL: { alias: 'channel', group: sql`channel`, select: sql`channel` },
  STATUS: { alias: 'status', group: sql`status`, select: sql`status` },
};

interface DossierGroupRow {
  agency_id?: number;
  month?: string;
  channel?: DossierChannel;
  status?: DossierStatus;
  total: number | string;
  online: number | string;
  resolved: number | string;
  on_time: number | string;
  overdue: number | string;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/** Aggregates for the IOC dashboards, computed in SQL: only numbers leave the database. */
export class DossierStatsRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** Dossier counts per group, ordered by the group key. No dimensions: one group, everything. */
  async countBy(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}): Promise<DossierCount[]> {
    const rows = (await this.grouped(dimensions, filter).select(sql<number>`count(*)`.as('total')).execute()) as DossierGroupRow[];
    return rows.map((row) => ({ ...groupOf(row), count: Number(row.total) }));
  }

  /** The online, on-time and overdue figures over all dossiers the filter selects. */
  async rates(filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierRates> {
    const [all] = await this.ratesBy([], filter, now);
    const { agencyId: _a, month: _m, channel: _c, status: _s, ...rates } = all!;
    return rates;
  }

  /** The figures per group (for example per agency, or per month for a trend line). */
  async ratesBy(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierGroupRates[]> {
    const resolved = sql<boolean>`status = any(${[...RESOLVED_STATUSES]}::text[])`;
    const rows = (await this.grouped(dimensions, filter)
      .select([
        sql<number>`count(*)`.as('total'),
        sql<number>`count(*) filter (where channel = 'ONLINE')`.as('online'),
        sql<number>`count(*) filter (where ${resolved})`.as('resolved'),
        sql<number>`count(*) filter (where ${resolved} and completed_at <= due_at)`.as('on_time'),
        sql<number>`count(*) filter (where ${overdueAt(now)})`.as('overdue'),
      ])
      .execute()) as DossierGroupRow[];
    return rows.map((row) => {
      const total = Number(row.total);
      const online = Number(row.online);
      const resolvedCount = Number(row.resolved);
      const onTime = Number(row.on_time);
      const overdue = Number(row.overdue);
      return {
        ...groupOf(row),
        total,
        online,
        resolved: resolvedCount,
        onTime,
        overdue,
        onlineRate: ratio(online, total),
        onTimeRate: ratio(onTime, resolvedCount),
        overdueRate: ratio(overdue, total),
      };
    });
  }

  /** The filtered dossiers, grouped and ordered by the dimensions; the caller adds the aggregates. */
  private grouped(dimensions: readonly DossierDimension[], filter: DossierStatsWhere) {
    // Grouped and sorted in the vocabulary's order, whatever the order asked for.
    const dims = DOSSIER_DIMENSIONS.filter((d) => dimensions.includes(d));
    let q = this.db.selectFrom('dossiers').select(dims.map((d) => DIMENSIONS[d].select.as(DIMENSIONS[d].alias)));
    const conditions = dossierConditions({
      submittedFrom: filter.from,
      submittedTo: filter.to,
      agencyId: filter.agencyId,
      agencyIds: filter.agencyIds,
      procedureId: filter.procedureId,
    });
    for (const condition of conditions) q = q.where(condition);
    if (dims.length > 0) {
      q = q.groupBy(dims.map((d) => DIMENSIONS[d].group));
      for (const d of dims) q = q.orderBy(DIMENSIONS[d].group);
    }
    return q;
  }
}

function groupOf(row: DossierGroupRow): DossierGroup {
  return { agencyId: row.agency_id ?? null, month: row.month ?? null, channel: row.channel ?? null, status: row.status ?? null };
}
