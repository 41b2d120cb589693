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
import type { CitizenRow, PopulationDatabase } from './tables.js';
import type { CitizenOrder, Gender } from './vocabulary.js';
import { selectByKeys } from '../../../platform/db/by-keys.js';
import { selectingOnly } from '../../../platform/paging/columns.js';

export interface CitizenWhere {
  wardId?: number | null;
  /** Any of these wards (a district's wards); an empty list matches nothing. */
  wardIds?: readonly number[] | null;
  householdId?: number | null;
  gender?: Gender | null;
  /** Born on or after this day ('YYYY-MM-DD'). */
  bornFrom?: string | null;
  /** Born on or before this day ('YYYY-MM-DD'). */
  bornTo?: string | null;
  /** Matches the full name without regard to case or diacritics. */
  search?: string | null;
  nationalId?: string | null;
  /** The row scope the caller may see (set by the auth layer): only these ids; empty means none. */
  ids?: readonly number[] | null;
}

const KEYSETS: Record<CitizenOrder, Keyset<CitizenRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'citizen:name.vi', columns: ['full_name_sort', 'id'], direction: 'asc' },
  BIRTH_DATE: { name: 'citizen:birth_date', columns: ['birth_date', 'id'], direction: 'asc' },
  NEWEST: { name: 'citizen:newest', columns: ['id'], direction: 'desc' },
};

export class CitizensRepository {
  constructor(private readonly db: Kysely<PopulationDatabase>) {}

  /** `columns` undefined: every column. One compiled shape per column set (platform/db/by-keys.ts). */
  async findByIds(ids: readonly number[], columns?: ReadonlyArray<keyof CitizenRow & string>): Promise<CitizenRow[]> {
    return selectByKeys<CitizenRow>(this.db, 'citizens', 'id', 'int', ids, columns);
  }

  async findByNationalIds(nationalIds: readonly string[], columns?: ReadonlyArray<keyof CitizenRow & string>): Promise<CitizenRow[]> {
    // bpchar[], not text[]: comparing char(12) with text would cast the column and skip its index.
    return selectByKeys<CitizenRow>(this.db, 'citizens', 'national_id', 'bpchar', nationalIds, columns);
  }

  /** Every member of a batch of households in one statement, in household then id order. */
  async findByHouseholdIds(householdIds: readonly number[]): Promise<CitizenRow[]> {
    if (householdIds.length === 0) return [];
    return this.db
      .selectFrom('citizens')
      .selectAll()
      .where('household_id', '=', sql<number>`any(${[...householdIds]}::int[])`)
      .orderBy('household_id')
      .orderBy('id')
      .execute();
  }

  /**
   * One page of members per household for a batch of households, in ONE statement: the ids are
   * unnested and each runs the keyset window in a lateral subquery (one short index walk each).
   */
  async pagesByHousehold({ parentIds, filter, order, page }: PagesPerParent<CitizenWhere, CitizenOrder>): Promise<Map<number, Page<CitizenRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (householdId) => this.filtered(filter ?? {}).where('household_id', '=', householdId),
      parentOf: (row) => row.household_id,
      keyset: KEYSETS[order],
      page,
    });
  }

  private filtered(filter: CitizenWhere) {
    let q = this.db.selectFrom('citizens').selectAll();
    if (filter.ids) q = q.where('id', '=', sql<number>`any(${[...filter.ids]}::int[])`);
    if (filter.wardId != null) q = q.where('ward_id', '=', filter.wardId);
    if (filter.wardIds) q = q.where('ward_id', '=', sql<number>`any(${[...filter.wardIds]}::int[])`);
    if (filter.householdId != null) q = q.where('household_id', '=', filter.householdId);
    if (filter.gender) q = q.where('gender', '=', filter.gender);
    if (filter.bornFrom) q = q.where('birth_date', '>=', filter.bornFrom);
    if (filter.bornTo) q = q.where('birth_date', '<=', filter.bornTo);
    if (filter.nationalId) q = q.where('national_id', '=', filter.nationalId);
    if (filter.search) q = q.where(foldedContains('population', sql.ref('full_name'), filter.search));
    return q;
  }

  /** A page of citizens; with `columns`, only those and the id and the ordering's (which the cursors carry). */
  async list(filter: CitizenWhere, order: CitizenOrder, page: PageRequest, columns?: ReadonlyArray<keyof CitizenRow & string>): Promise<Page<CitizenRow>> {
    const keyset = KEYSETS[order];
    return fetchPage(selectingOnly(this.filtered(filter), keyset, columns), keyset, page);
  }

  /** The number of members of each household, in one statement. */
  async countByHousehold({ parentIds, filter }: CountsPerParent<CitizenWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'household_id', parentIds);
  }

  async count(filter: CitizenWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
