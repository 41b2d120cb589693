import { sql, type Kysely } from 'kysely';
import { countByParent, fetchPage, fetchPagesByParent, type Keyset, type Page, type PageArgs } from '../../../platform/db/keyset.js';
import { foldedContains } from '../../../platform/db/search.js';
import type { AdministrativeUnitRow, ReferenceDatabase } from './tables.js';

export interface UnitFilter {
  level?: AdministrativeUnitRow['level'] | null;
  parentId?: number | null;
  /** Matches the name without regard to case or diacritics. */
  search?: string | null;
}

export type UnitOrder = 'NAME' | 'CODE';

const KEYSETS: Record<UnitOrder, Keyset<AdministrativeUnitRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'unit:name.vi', columns: ['name_sort', 'id'], direction: 'asc', values: (r) => [r.name_sort, r.id] },
  CODE: { name: 'unit:code', columns: ['code', 'id'], direction: 'asc', values: (r) => [r.code, r.id] },
};

export class UnitsRepository {
  constructor(private readonly db: Kysely<ReferenceDatabase>) {}

  async findByIds(ids: readonly number[]): Promise<AdministrativeUnitRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('administrative_units').selectAll().where('id', '=', sql<number>`any(${[...ids]}::int[])`).execute();
  }

  async findByCode(code: string): Promise<AdministrativeUnitRow | undefined> {
    return this.db.selectFrom('administrative_units').selectAll().where('code', '=', code).executeTakeFirst();
  }

  private filtered(filter: UnitFilter) {
    let q = this.db.selectFrom('administrative_units').selectAll();
    if (filter.level) q = q.where('level', '=', filter.level);
    if (filter.parentId != null) q = q.where('parent_id', '=', filter.parentId);
    if (filter.search) q = q.where(foldedContains('reference', sql.ref('name'), filter.search));
    return q;
  }

  async list(filter: UnitFilter, order: UnitOrder, page: PageArgs): Promise<Page<AdministrativeUnitRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  /** The children of each unit, a page per parent, in one statement. */
  async pagesByParent(parentIds: readonly number[], order: UnitOrder, page: PageArgs): Promise<Map<number, Page<AdministrativeUnitRow>>> {
    return fetchPagesByParent(
      this.db,
      parentIds,
      (parentId) => this.db.selectFrom('administrative_units').selectAll().where('parent_id', '=', parentId),
      (row) => row.parent_id!,
      KEYSETS[order],
      page,
    );
  }

  /** The number of children of each unit, in one statement. */
  async countByParent(parentIds: readonly number[]): Promise<Map<number, number>> {
    return countByParent(this.filtered({}), 'parent_id', parentIds);
  }

  async count(filter: UnitFilter): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
