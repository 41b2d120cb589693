import { sql, type Kysely } from 'kysely';
import { fetchPage, type Keyset, type Page, type PageRequest } from '../../../platform/db/keyset.js';
import { foldedContains } from '../../../platform/db/search.js';
import type { HouseholdRow, PopulationDatabase } from './tables.js';
import type { HouseholdOrder } from './vocabulary.js';

export interface HouseholdWhere {
  /** The row scope the caller may see (set by the auth layer): only these ids; empty means none. */
  ids?: readonly number[] | null;
  wardId?: number | null;
  /** Any of these wards (a district's wards); an empty list matches nothing. */
  wardIds?: readonly number[] | null;
  /** Matches the address (house and street) without regard to case or diacritics. */
  search?: string | null;
}

const KEYSETS: Record<HouseholdOrder, Keyset<HouseholdRow>> = {
  CODE: { name: 'household:code', columns: ['code', 'id'], direction: 'asc' },
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  ADDRESS: { name: 'household:address.vi', columns: ['address_sort', 'id'], direction: 'asc' },
};

export class HouseholdsRepository {
  constructor(private readonly db: Kysely<PopulationDatabase>) {}

  async findByIds(ids: readonly number[]): Promise<HouseholdRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('households').selectAll().where('id', '=', sql<number>`any(${[...ids]}::int[])`).execute();
  }

  async findByCodes(codes: readonly string[]): Promise<HouseholdRow[]> {
    if (codes.length === 0) return [];
    return this.db.selectFrom('households').selectAll().where('code', '=', sql<string>`any(${[...codes]}::text[])`).execute();
  }

  private filtered(filter: HouseholdWhere) {
    let q = this.db.selectFrom('households').selectAll();
    if (filter.ids) q = q.where('id', '=', sql<number>`any(${[...filter.ids]}::int[])`);
    if (filter.wardId != null) q = q.where('ward_id', '=', filter.wardId);
    if (filter.wardIds) q = q.where('ward_id', '=', sql<number>`any(${[...filter.wardIds]}::int[])`);
    if (filter.search) q = q.where(foldedContains('population', sql.ref('address'), filter.search));
    return q;
  }

  async list(filter: HouseholdWhere, order: HouseholdOrder, page: PageRequest): Promise<Page<HouseholdRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  async count(filter: HouseholdWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
