import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { overdueAt } from './dossier-conditions.js';
import { rollupPlan, type DayRange } from './rollup-plan.js';
import { OPEN_DUE_TABLE, ROLLUP_TIME_ZONE, rollupGrain } from './rollups.js';
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

/** The figures over everything the filter selects, and per group of the dimensions asked. */
export interface DossierRatesTable {
  totals: DossierRates;
  groups: DossierGroupRates[];
}

/** Column of the union below per dimension (MONTH: the month's first day, formatted only in the output). */
const DIMENSIONS: Record<DossierDimension, { part: string; alias: keyof DossierGroupRow; select: RawBuilder<unknown> }> = {
  AGENCY: { part: 'agency_id', alias: 'agency_id', select: sql`agency_id` },
  MONTH: { part: 'month_start', alias: 'month', select: sql`to_char(month_start, 'YYYY-MM')` },
  CHANNEL: { part: 'channel', alias: 'channel', select: sql`channel` },
  STATUS: { part: 'status', alias: 'status', select: sql`status` },
};

interface DossierGroupRow {
  agency_id?: number;
  month?: string;
  channel?: DossierChannel;
  status?: DossierStatus;
  /** Non-zero on the row of the totals (the empty grouping set). */
  totals_row?: number;
  total: number | string | null;
  online: number | string | null;
  resolved: number | string | null;
  on_time: number | string | null;
  overdue: number | string | null;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
const RESOLVED = sql.raw(`(${RESOLVED_STATUSES.map((s) => `'${s}'`).join(', ')})`);
const ZERO_RATES: DossierRates = { total: 0, online: 0, resolved: 0, onTime: 0, overdue: 0, onlineRate: 0, onTimeRate: 0, overdueRate: 0 };

/**
 * Aggregates for the IOC dashboards, read from the rollups that triggers keep on `dossiers`
 * (db/rollups.ts; the same figures as aggregating the dossiers, tested so at every scale): one
 * statement for the totals and the groups, and only numbers leave the database.
 */
export class DossierStatsRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** Dossier counts per group, ordered by the group key. No dimensions: one group, everything. */
  async countBy(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}): Promise<DossierCount[]> {
    const { totals, groups } = await this.table(dimensions, filter, new Date());
    if (dimensions.length === 0) return [{ agencyId: null, month: null, channel: null, status: null, count: totals.total }];
    return groups.map(({ agencyId, month, channel, status, total }) => ({ agencyId, month, channel, status, count: total }));
  }

  /** The online, on-time and overdue figures over all dossiers the filter selects. */
  async rates(filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierRates> {
    return (await this.table([], filter, now)).totals;
  }

  /** The figures per group (for example per agency, or per month for a trend line). */
  async ratesBy(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierGroupRates[]> {
    if (dimensions.length === 0) return [{ agencyId: null, month: null, channel: null, status: null, ...(await this.rates(filter, now)) }];
    return (await this.table(dimensions, filter, now)).groups;
  }

  /** The totals and the groups in one statement (grouping sets), groups ordered by their key. */
  async table(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierRatesTable> {
    // Grouped and sorted in the vocabulary's order, whatever the order asked for.
    const dims = DOSSIER_DIMENSIONS.filter((d) => dimensions.includes(d));
    const parts = this.parts(filter, now);
    if (!parts) return { totals: ZERO_RATES, groups: [] };
    let q = this.db
      .selectFrom(parts.as('parts'))
      .select(dims.map((d) => DIMENSIONS[d].select.as(DIMENSIONS[d].alias)))
      .select([
        sql<number>`sum(total)`.as('total'),
        sql<number>`sum(online)`.as('online'),
        sql<number>`sum(resolved)`.as('resolved'),
        sql<number>`sum(on_time)`.as('on_time'),
        sql<number>`sum(overdue)`.as('overdue'),
      ]);
    if (dims.length > 0) {
      const columns = sql.raw(dims.map((d) => DIMENSIONS[d].part).join(', '));
      q = q.select(sql<number>`grouping(${columns})`.as('totals_row')).groupBy(sql`grouping sets ((${columns}), ())`);
      for (const d of dims) q = q.orderBy(sql.raw(DIMENSIONS[d].part));
    }
    const rows = (await q.execute()) as DossierGroupRow[];
    const totalsRow = dims.length === 0 ? rows[0] : rows.find((row) => Number(row.totals_row) !== 0);
    const groups = dims.length === 0 ? [] : rows.filter((row) => Number(row.totals_row) === 0);
    const { agencyId: _a, month: _m, channel: _c, status: _s, ...totals } = ratesOf(totalsRow);
    return { totals, groups: groups.map(ratesOf) };
  }

  /**
   * The rows to sum, disjoint and together exactly the filtered dossiers (db/rollup-plan.ts):
   * whole months, whole days, open dossiers not yet due at `now` (counted out of `overdue`), and
   * the parts of a day at an admin's bound that is not midnight. Null: nothing can match.
   */
  private parts(filter: DossierStatsWhere, now: Date) {
    if (filter.agencyIds && filter.agencyIds.length === 0) return null;
    const plan = rollupPlan(filter.from, filter.to);
    const procedure = filter.procedureId != null;
    const keyConditions = (): Expression<SqlBool>[] => {
      const conditions: Expression<SqlBool>[] = [];
      if (filter.agencyId != null) conditions.push(sql<boolean>`agency_id = ${filter.agencyId}`);
      if (filter.agencyIds) conditions.push(sql<boolean>`agency_id = any(${[...filter.agencyIds]}::int[])`);
      if (procedure) conditions.push(sql<boolean>`procedure_id = ${filter.procedureId}`);
      return conditions;
    };
    const within = (column: 'day' | 'month', range: DayRange): Expression<SqlBool>[] => [
      ...(range.from === null ? [] : [sql<boolean>`${sql.ref(column)} >= ${range.from}::date`]),
      ...(range.to === null ? [] : [sql<boolean>`${sql.ref(column)} < ${range.to}::date`]),
    ];
    const counts = {
      agency_id: sql<number>`agency_id`,
      channel: sql<DossierChannel>`channel`,
      status: sql<DossierStatus>`status`,
    };
    const rolled = (monthStart: RawBuilder<string>) => ({
      ...counts,
      month_start: monthStart,
      total: sql<number>`dossiers`,
      online: sql<number>`case when channel = 'ONLINE' then dossiers else 0 end`,
      resolved: sql<number>`case when status in ${RESOLVED} then dossiers else 0 end`,
      on_time: sql<number>`on_time`,
      overdue: sql<number>`closed_late + still_open`,
    });
    const select = (columns: Record<string, RawBuilder<unknown>>) => Object.entries(columns).map(([alias, expression]) => expression.as(alias));

    const queries = [];
    const { months, days } = plan;
    if (months) {
      const table = rollupGrain('month', procedure).table;
      queries.push(this.db.selectFrom(table).select(select(rolled(sql<string>`month`))).where((eb) => eb.and([...keyConditions(), ...within('month', months)])));
    }
    for (const range of plan.dayRanges) {
      const table = rollupGrain('day', procedure).table;
      queries.push(
        this.db.selectFrom(table).select(select(rolled(sql<string>`date_trunc('month', day::timestamp)::date`))).where((eb) => eb.and([...keyConditions(), ...within('day', range)])),
      );
    }
    if (days) {
      // Counted as overdue above while open; those due at or after `now` are not overdue yet.
      queries.push(
        this.db
          .selectFrom(OPEN_DUE_TABLE)
          .select(
            select({
              ...counts,
              month_start: sql<string>`date_trunc('month', day::timestamp)::date`,
              total: sql<number>`0`,
              online: sql<number>`0`,
              resolved: sql<number>`0`,
              on_time: sql<number>`0`,
              overdue: sql<number>`-dossiers`,
            }),
          )
          .where((eb) => eb.and([...keyConditions(), ...within('day', days), sql<boolean>`due_at >= ${now}`])),
      );
    }
    for (const range of plan.raw) {
      const resolved = sql<boolean>`status in ${RESOLVED}`;
      queries.push(
        this.db
          .selectFrom('dossiers')
          .select(
            select({
              ...counts,
              month_start: sql<string>`date_trunc('month', submitted_at at time zone ${sql.lit(ROLLUP_TIME_ZONE)})::date`,
              total: sql<number>`1`,
              online: sql<number>`(channel = 'ONLINE')::int`,
              resolved: sql<number>`(${resolved})::int`,
              on_time: sql<number>`(${resolved} and completed_at <= due_at)::int`,
              overdue: sql<number>`(${overdueAt(now)})::int`,
            }),
          )
          .where((eb) => eb.and([...keyConditions(), sql<boolean>`submitted_at >= ${range.from}`, sql<boolean>`submitted_at < ${range.to}`])),
      );
    }
    if (queries.length === 0) return null;
    return queries.slice(1).reduce((union, part) => union.unionAll(part), queries[0]!);
  }
}

function ratesOf(row: DossierGroupRow | undefined): DossierGroupRates {
  const total = Number(row?.total ?? 0);
  const online = Number(row?.online ?? 0);
  const resolved = Number(row?.resolved ?? 0);
  const onTime = Number(row?.on_time ?? 0);
  const overdue = Number(row?.overdue ?? 0);
  return {
    agencyId: row?.agency_id ?? null,
    month: row?.month ?? null,
    channel: row?.channel ?? null,
    status: row?.status ?? null,
    total,
    online,
    resolved,
    onTime,
    overdue,
    onlineRate: ratio(online, total),
    onTimeRate: ratio(onTime, resolved),
    overdueRate: ratio(overdue, total),
  };
}
