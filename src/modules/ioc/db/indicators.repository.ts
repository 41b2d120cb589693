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
import { foldedContains } from '../../../platform/db/search.js';
import { columnsOf, JoinedColumns, selectingOnly } from '../../../platform/paging/columns.js';
import { fetchPageWithShape, fetchPageWith, type PageWithQuery } from '../../../platform/paging/page-with.js';
import { filterShape, slottedFilter } from '../../../platform/paging/filter-shape.js';
import type { IndicatorRow, IocDatabase, ObservationRow } from './tables.js';
import type { IndicatorOrder, IndicatorVisibility } from './vocabulary.js';

export interface IndicatorWhere {
  category?: string | null;
  visibility?: IndicatorVisibility | null;
  /** Row scope from the auth layer: only these visibilities (empty: none)... */
  visibilities?: readonly IndicatorVisibility[] | null;
  /** ...and, with `visibilities`, every indicator this agency owns (an officer's own agency). */
  ownAgencyId?: number | null;
  ownerId?: number | null;
  /** Matches the name without regard to case or diacritics. */
  search?: string | null;
}

/** Every column of an observation, fetched with its indicator's page under `latest$<column>`. */
const OBSERVATION_COLUMNS = columnsOf<ObservationRow>({ id: true, indicator_id: true, period: true, ward_id: true, value: true });
const LATEST = new JoinedColumns<ObservationRow>('latest', OBSERVATION_COLUMNS);

/** A page of indicators; with `withLatest`, each one's newest city-wide observation (null: none) by indicator id. */
export interface IndicatorPage extends Page<IndicatorRow> {
  latest?: Map<number, ObservationRow | null>;
}

/** Each filter of IndicatorWhere (a Record: a filter added there must be added here), for the shape of a page's statement. */
const FILTERS = columnsOf<IndicatorWhere>({ category: true, visibility: true, visibilities: true, ownAgencyId: true, ownerId: true, search: true });

/** Each page row's newest city-wide observation, in the page's statement (a lateral walk of the period index). */
const withLatestObservation: PageWithQuery<IndicatorRow>['join'] = (outer) =>
  outer
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('observations')
          .select(OBSERVATION_COLUMNS)
          .whereRef('observations.indicator_id', '=', 'page.id')
          .where('observations.ward_id', 'is', null)
          .orderBy('observations.period', 'desc')
          .orderBy('observations.id', 'desc')
          // A literal, not a parameter: the statement is compiled once with every value a slot.
          .limit(sql.lit(1))
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select(LATEST.selection);

const KEYSETS: Record<IndicatorOrder, Keyset<IndicatorRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'indicator:name.vi', columns: ['name_sort', 'id'], direction: 'asc' },
  CODE: { name: 'indicator:code', columns: ['code', 'id'], direction: 'asc' },
};

export class IndicatorsRepository {
  constructor(private readonly db: Kysely<IocDatabase>) {}

  async findByIds(ids: readonly number[]): Promise<IndicatorRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('indicators').selectAll().where('id', '=', sql<number>`any(${[...ids]}::int[])`).execute();
  }

  async findByCodes(codes: readonly string[]): Promise<IndicatorRow[]> {
    if (codes.length === 0) return [];
    return this.db.selectFrom('indicators').selectAll().where('code', '=', sql<string>`any(${[...codes]}::text[])`).execute();
  }

  private filtered(filter: IndicatorWhere) {
    let q = this.db.selectFrom('indicators').selectAll();
    if (filter.category) q = q.where('category', '=', filter.category);
    if (filter.visibility) q = q.where('visibility', '=', filter.visibility);
    if (filter.visibilities) {
      // The array as given (not copied): in a template (`slottedFilter`) it is a slot.
      const levels = sql<boolean>`${sql.ref('visibility')} = any(${filter.visibilities as IndicatorVisibility[]}::text[])`;
      const own = filter.ownAgencyId;
      q = q.where(own == null ? levels : sql<boolean>`(${levels} or ${sql.ref('owner_id')} = ${own})`);
    }
    if (filter.ownerId != null) q = q.where('owner_id', '=', filter.ownerId);
    if (filter.search) q = q.where(foldedContains('ioc', sql.ref('name'), filter.search));
    return q;
  }

  /**
   * A page of indicators. `columns`: only these (and the id and the keyset's), all when absent.
   * `withLatest`: each page row's newest city-wide observation too, in the same statement (the
   * row `ObservationsRepository.latest(ids, null)` gives: a lateral walk of the period index).
   */
  async list(filter: IndicatorWhere, order: IndicatorOrder, page: PageRequest, columns?: readonly (keyof IndicatorRow & string)[], withLatest = false): Promise<IndicatorPage> {
    const keyset = KEYSETS[order];
    if (!withLatest) return fetchPage(this.selected(filter, keyset, columns), keyset, page);
    // Compiled once per shape (which filters are given, the columns), sent with each call's values.
    const given = filterShape(FILTERS, filter, ['search']);
    const { page: fetched, joined } =
      given === undefined
        ? await fetchPageWith(this.db, { query: this.selected(filter, keyset, columns), keyset, page, join: withLatestObservation })
        : await fetchPageWithShape(this.db, {
            key: `indicators+latest|${given}|${columns?.join(',') ?? '*'}`,
            input: filter,
            keyset,
            page,
            build: (slot) => ({ query: this.selected(slottedFilter(FILTERS, filter, slot), keyset, columns), join: withLatestObservation }),
          });
    const latest = new Map<number, ObservationRow | null>();
    for (const row of joined) latest.set(row.id, LATEST.from(row));
    return { ...fetched, latest };
  }

  /** The filtered query with only `columns` (and the id and the keyset's, which the cursors carry), every column without. */
  private selected(filter: IndicatorWhere, keyset: Keyset<IndicatorRow>, columns?: readonly (keyof IndicatorRow & string)[]) {
    return selectingOnly(this.filtered(filter), keyset, columns);
  }

  /** The number of each agency's indicators within a filter (a row scope), in one statement. */
  async countByOwner({ parentIds, filter }: CountsPerParent<IndicatorWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'owner_id', parentIds);
  }

  async count(filter: IndicatorWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * One page of indicators per owning agency for a batch of agencies, in one statement (a
   * lateral subquery walks each owner's keyset). Every requested agency gets an entry.
   */
  async pagesByOwner({ parentIds, filter, order, page }: PagesPerParent<IndicatorWhere, IndicatorOrder>): Promise<Map<number, Page<IndicatorRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (agencyId) => this.filtered(filter ?? {}).where('owner_id', '=', agencyId),
      parentOf: (row) => row.owner_id,
      keyset: KEYSETS[order],
      page,
    });
  }
}
