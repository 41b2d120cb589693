import { sql, type Kysely } from 'kysely';
import {
  countByParent,
  fetchPage,
  fetchPagesByParent,
  type CountsPerParent,
  type Keyset,
  type Page,
  type PageRequest,
  type PagesPerParent,
} from '../../../platform/db/keyset.js';
import type { IocDatabase, ObservationRow } from './tables.js';
import type { IndicatorVisibility } from './vocabulary.js';

/** The caller's indicator row scope (as in IndicatorWhere): absent visibilities mean every indicator. */
export interface ObservationParentScope {
  visibilities?: readonly IndicatorVisibility[] | null;
  ownAgencyId?: number | null;
}

export interface ObservationWhere {
  wardId?: number | null;
  /** true: city-wide values only; false: ward values only. */
  cityWide?: boolean | null;
  /** Periods from this date on ('YYYY-MM-DD', inclusive). */
  from?: string | null;
  /** Periods up to this date ('YYYY-MM-DD', inclusive). */
  to?: string | null;
}

export interface SeriesWhere {
  from?: string | null;
  to?: string | null;
  /** A ward's values; null or absent: the city-wide values. */
  wardId?: number | null;
}

/** Newest first; the id breaks ties between places of the same period. */
const KEYSET: Keyset<ObservationRow> = { name: 'observation:period', columns: ['period', 'id'], direction: 'desc' };

export class ObservationsRepository {
  constructor(private readonly db: Kysely<IocDatabase>) {}

  private filtered(filter: ObservationWhere) {
    let q = this.db.selectFrom('observations').selectAll();
    if (filter.wardId != null) q = q.where('ward_id', '=', filter.wardId);
    if (filter.cityWide === true) q = q.where('ward_id', 'is', null);
    if (filter.cityWide === false) q = q.where('ward_id', 'is not', null);
    if (filter.from) q = q.where('period', '>=', filter.from);
    if (filter.to) q = q.where('period', '<=', filter.to);
    return q;
  }

  /** One indicator's observations, newest first. */
  async list(indicatorId: number, filter: ObservationWhere, page: PageRequest): Promise<Page<ObservationRow>> {
    return fetchPage(this.filtered(filter).where('indicator_id', '=', indicatorId), KEYSET, page);
  }

  /** The number of each indicator's observations within a filter, in one statement. */
  async countByIndicator({ parentIds, filter }: CountsPerParent<ObservationWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'indicator_id', parentIds);
  }

  async count(indicatorId: number, filter: ObservationWhere): Promise<number> {
    const row = await this.filtered(filter)
      .where('indicator_id', '=', indicatorId)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Observations by id whose indicator is in the caller's scope, in ONE statement: one of a
   * hidden indicator costs exactly what a missing one does (no second query tells them apart).
   */
  async findByIdsInScope(ids: readonly number[], scope: ObservationParentScope): Promise<ObservationRow[]> {
    if (ids.length === 0) return [];
    let q = this.db.selectFrom('observations').selectAll('observations').where('observations.id', '=', sql<number>`any(${[...ids]}::int[])`);
    if (scope.visibilities) {
      const levels = scope.visibilities;
      const own = scope.ownAgencyId;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('indicators as i')
            .select(sql`1`.as('one'))
            .whereRef('i.id', '=', 'observations.indicator_id')
            .where(
              own == null
                ? sql<boolean>`i.visibility = any(${[...levels]}::text[])`
                : sql<boolean>`(i.visibility = any(${[...levels]}::text[]) or i.owner_id = ${own})`,
            ),
        ),
      );
    }
    return q.execute();
  }

  async findByIds(ids: readonly number[]): Promise<ObservationRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('observations').selectAll().where('id', '=', sql<number>`any(${[...ids]}::bigint[])`).execute();
  }

  /** One page of observations per indicator for a batch of indicators, in one statement. */
  async pagesByIndicator({ parentIds, filter, page }: PagesPerParent<ObservationWhere>): Promise<Map<number, Page<ObservationRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (indicatorId) => this.filtered(filter ?? {}).where('indicator_id', '=', indicatorId),
      parentOf: (row) => row.indicator_id,
      keyset: KEYSET,
      page,
    });
  }

  /** Every point of each indicator in the range, oldest first, for charts (one statement). */
  async series(indicatorIds: readonly number[], filter: SeriesWhere): Promise<Map<number, ObservationRow[]>> {
    const ids = [...new Set(indicatorIds)];
    const series = new Map<number, ObservationRow[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return series;
    const rows = await this.filtered({ from: filter.from, to: filter.to, wardId: filter.wardId, cityWide: filter.wardId == null })
      .where('indicator_id', '=', sql<number>`any(${ids}::int[])`)
      .orderBy('indicator_id')
      .orderBy('period')
      .execute();
    for (const row of rows) series.get(row.indicator_id)!.push(row);
    return series;
  }

  /** The newest value of each indicator for a ward, or city-wide (null); absent when none. */
  async latest(indicatorIds: readonly number[], wardId: number | null): Promise<Map<number, ObservationRow>> {
    const ids = [...new Set(indicatorIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.filtered({ wardId, cityWide: wardId == null })
      .where('indicator_id', '=', sql<number>`any(${ids}::int[])`)
      .distinctOn('indicator_id')
      .orderBy('indicator_id')
      .orderBy('period', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return new Map(rows.map((row) => [row.indicator_id, row]));
  }
}
