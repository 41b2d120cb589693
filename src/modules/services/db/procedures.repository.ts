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

import type { ProcedureRow, ServicesDatabase } from './tables.js';
import type { ProcedureOrder, ServiceLevel } from './vocabulary.js';
import { selectByKeys } from '../../../platform/db/by-keys.js';

export interface ProcedureWhere {
  agencyId?: number | null;
  serviceLevel?: ServiceLevel | null;
  field?: string | null;
  /** Matches the name without regard to case or diacritics. */
  search?: string | null;
}

const KEYSETS: Record<ProcedureOrder, Keyset<ProcedureRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'procedure:name.vi', columns: ['name_sort', 'id'], direction: 'asc' },
  CODE: { name: 'procedure:code', columns: ['code', 'id'], direction: 'asc' },
};

export class ProceduresRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** `columns` undefined: every column. One compiled shape per column set (platform/db/by-keys.ts). */
  async findByIds(ids: readonly number[], columns?: ReadonlyArray<keyof ProcedureRow & string>): Promise<ProcedureRow[]> {
    return selectByKeys<ProcedureRow>(this.db, 'procedures', 'id', 'int', ids, columns);
  }

  async findByCodes(codes: readonly string[], columns?: ReadonlyArray<keyof ProcedureRow & string>): Promise<ProcedureRow[]> {
    return selectByKeys<ProcedureRow>(this.db, 'procedures', 'code', 'text', codes, columns);
  }

  private filtered(filter: ProcedureWhere) {
    let q = this.db.selectFrom('procedures').selectAll();
    if (filter.agencyId != null) q = q.where('agency_id', '=', filter.agencyId);
    if (filter.serviceLevel) q = q.where('service_level', '=', filter.serviceLevel);
    if (filter.field) q = q.where('field', '=', filter.field);
    if (filter.search) q = q.where(foldedContains('services', sql.ref('name'), filter.search));
    return q;
  }

  async list(filter: ProcedureWhere, order: ProcedureOrder, page: PageRequest): Promise<Page<ProcedureRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  /** The number of procedures of each agency, in one statement. */
  async countByAgency({ parentIds, filter }: CountsPerParent<ProcedureWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'agency_id', parentIds);
  }

  async count(filter: ProcedureWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of each agency's procedures (the same page `list` gives with `agencyId`), in one statement. */
  async pagesByAgency({ parentIds, filter, order, page }: PagesPerParent<ProcedureWhere, ProcedureOrder>): Promise<Map<number, Page<ProcedureRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (agencyId) => this.filtered(filter ?? {}).where('agency_id', '=', agencyId),
      parentOf: (row) => row.agency_id,
      keyset: KEYSETS[order],
      page,
    });
  }
}
