import { sql, type Kysely } from 'kysely';
import { fetchPage, type Keyset, type Page, type PageRequest } from '../../../platform/db/keyset.js';
import { foldedContains } from '../../../platform/db/search.js';
import type { AgencyRow, ReferenceDatabase } from './tables.js';
import type { AgencyKind, AgencyOrder } from './vocabulary.js';
import { selectByKeys, type ByKeysOptions } from '../../../platform/db/by-keys.js';

export interface AgencyWhere {
  kind?: AgencyKind | null;
  unitId?: number | null;
  search?: string | null;
}

const KEYSETS: Record<AgencyOrder, Keyset<AgencyRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'agency:name.vi', columns: ['name_sort', 'id'], direction: 'asc' },
  CODE: { name: 'agency:code', columns: ['code', 'id'], direction: 'asc' },
};

export class AgenciesRepository {
  constructor(private readonly db: Kysely<ReferenceDatabase>) {}

  /**
   * `columns` undefined: every column. One compiled shape per column set (platform/db/by-keys.ts).
   * `options.cacheMs`: from the process's cache of agencies, as by code.
   */
  async findByIds(ids: readonly number[], columns?: ReadonlyArray<keyof AgencyRow & string>, options?: ByKeysOptions): Promise<AgencyRow[]> {
    return selectByKeys<AgencyRow>(this.db, 'agencies', 'id', 'int', ids, columns, options);
  }

  /** `options.cacheMs`: from the process's cache of agencies (platform/db/by-keys.ts), for reference reads. */
  async findByCodes(codes: readonly string[], columns?: ReadonlyArray<keyof AgencyRow & string>, options?: ByKeysOptions): Promise<AgencyRow[]> {
    return selectByKeys<AgencyRow>(this.db, 'agencies', 'code', 'text', codes, columns, options);
  }

  private filtered(filter: AgencyWhere) {
    let q = this.db.selectFrom('agencies').selectAll();
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.unitId != null) q = q.where('unit_id', '=', filter.unitId);
    if (filter.search) q = q.where(foldedContains('reference', sql.ref('name'), filter.search));
    return q;
  }

  async list(filter: AgencyWhere, order: AgencyOrder, page: PageRequest): Promise<Page<AgencyRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  async count(filter: AgencyWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
