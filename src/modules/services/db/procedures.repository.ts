import { sql, type Kysely } from 'kysely';
import { countByParent, fetchPage, fetchPagesByParent, type Keyset, type Page, type PageArgs } from '../../../platform/db/keyset.js';
import { foldedContains } from '../../../platform/db/search.js';

import type { ProcedureRow, ServiceLevel, ServicesDatabase } from './tables.js';

export interface ProcedureFilter {
  agencyId?: number | null;
  serviceLevel?: ServiceLevel | null;
  field?: string | null;
  /** Matches the name without regard to case or diacritics. */
  search?: string | null;
}

export type ProcedureOrder = 'NAME' | 'CODE';

const KEYSETS: Record<ProcedureOrder, Keyset<ProcedureRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'procedure:name.vi', columns: ['name_sort', 'id'], direction: 'asc', values: (r) => [r.name_sort, r.id] },
  CODE: { name: 'procedure:code', columns: ['code', 'id'], direction: 'asc', values: (r) => [r.code, r.id] },
};

export class ProceduresRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  async findByIds(ids: readonly number[]): Promise<ProcedureRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('procedures').selectAll().where('id', '=', sql<number>`any(${[...ids]}::int[])`).execute();
  }

  async findByCodes(codes: readonly string[]): Promise<ProcedureRow[]> {
    if (codes.length === 0) return [];
    return this.db.selectFrom('procedures').selectAll().where('code', '=', sql<string>`any(${[...codes]}::text[])`).execute();
  }

  private filtered(filter: ProcedureFilter) {
    let q = this.db.selectFrom('procedures').selectAll();
    if (filter.agencyId != null) q = q.where('agency_id', '=', filter.agencyId);
    if (filter.serviceLevel) q = q.where('service_level', '=', filter.serviceLevel);
    if (filter.field) q = q.where('field', '=', filter.field);
    if (filter.search) q = q.where(foldedContains('services', sql.ref('name'), filter.search));
    return q;
  }

  async list(filter: ProcedureFilter, order: ProcedureOrder, page: PageArgs): Promise<Page<ProcedureRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  /** The number of procedures of each agency, in one statement. */
  async countByAgency(agencyIds: readonly number[], filter: ProcedureFilter = {}): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter), 'agency_id', agencyIds);
  }

  async count(filter: ProcedureFilter): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of each agency's procedures (the same page `list` gives with `agencyId`), in one statement. */
  async pagesByAgency(
    agencyIds: readonly number[],
    filter: ProcedureFilter,
    page: PageArgs,
    order: ProcedureOrder = 'NAME',
  ): Promise<Map<number, Page<ProcedureRow>>> {
    return fetchPagesByParent(
      this.db,
      agencyIds,
      (agencyId) => this.filtered(filter).where('agency_id', '=', agencyId),
      (row) => row.agency_id,
      KEYSETS[order],
      page,
    );
  }
}
