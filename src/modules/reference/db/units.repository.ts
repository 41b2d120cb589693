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
import type { AdministrativeUnitRow, ReferenceDatabase } from './tables.js';
import type { UnitLevel, UnitOrder } from './vocabulary.js';
import { selectByKeys, type ByKeysOptions } from '../../../platform/db/by-keys.js';

export interface UnitWhere {
  level?: UnitLevel | null;
  parentId?: number | null;
  /** Matches the name without regard to case or diacritics. */
  search?: string | null;
}

const KEYSETS: Record<UnitOrder, Keyset<AdministrativeUnitRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'unit:name.vi', columns: ['name_sort', 'id'], direction: 'asc' },
  CODE: { name: 'unit:code', columns: ['code', 'id'], direction: 'asc' },
};

export class UnitsRepository {
  constructor(private readonly db: Kysely<ReferenceDatabase>) {}

  /**
   * `columns` undefined: every column. One compiled shape per column set (platform/db/by-keys.ts).
   * `options.cacheMs`: from the process's cache of reference rows, as agencies.
   */
  async findByIds(ids: readonly number[], columns?: ReadonlyArray<keyof AdministrativeUnitRow & string>, options?: ByKeysOptions): Promise<AdministrativeUnitRow[]> {
    return selectByKeys<AdministrativeUnitRow>(this.db, 'administrative_units', 'id', 'int', ids, columns, options);
  }

  async findByCodes(codes: readonly string[], columns?: ReadonlyArray<keyof AdministrativeUnitRow & string>, options?: ByKeysOptions): Promise<AdministrativeUnitRow[]> {
    return selectByKeys<AdministrativeUnitRow>(this.db, 'administrative_units', 'code', 'text', codes, columns, options);
  }

  /** Every child of a batch of units (of one level when given), by parent then code: a district's wards. */
  async findByParentIds(parentIds: readonly number[], level: UnitLevel | null = null): Promise<AdministrativeUnitRow[]> {
    if (parentIds.length === 0) return [];
    let q = this.db.selectFrom('administrative_units').selectAll().where('parent_id', '=', sql<number>`any(${[...parentIds]}::int[])`);
    if (level) q = q.where('level', '=', level);
    return q.orderBy('parent_id').orderBy('code').orderBy('id').execute();
  }

  private filtered(filter: UnitWhere) {
    let q = this.db.selectFrom('administrative_units').selectAll();
    if (filter.level) q = q.where('level', '=', filter.level);
    if (filter.parentId != null) q = q.where('parent_id', '=', filter.parentId);
    if (filter.search) q = q.where(foldedContains('reference', sql.ref('name'), filter.search));
    return q;
  }

  async list(filter: UnitWhere, order: UnitOrder, page: PageRequest): Promise<Page<AdministrativeUnitRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  /** The children of each unit, a page per parent, in one statement. */
  async pagesByParent({ parentIds, filter, order, page }: PagesPerParent<UnitWhere, UnitOrder>): Promise<Map<number, Page<AdministrativeUnitRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (parentId) => this.filtered(filter ?? {}).where('parent_id', '=', parentId),
      parentOf: (row) => row.parent_id!,
      keyset: KEYSETS[order],
      page,
    });
  }

  /** The number of children of each unit, in one statement. */
  async countByParent({ parentIds, filter }: CountsPerParent<UnitWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'parent_id', parentIds);
  }

  async count(filter: UnitWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
