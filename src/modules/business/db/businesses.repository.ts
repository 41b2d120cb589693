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
import type { BusinessDatabase, BusinessRow } from './tables.js';
import type { BusinessKind, BusinessOrder, BusinessStatus, LegalForm } from './vocabulary.js';
import { selectByKeys } from '../../../platform/db/by-keys.js';

export interface BusinessWhere {
  kind?: BusinessKind | null;
  status?: BusinessStatus | null;
  wardId?: number | null;
  /** Any of these wards (a district's wards); an empty list matches nothing. */
  wardIds?: readonly number[] | null;
  /** A VSIC code or its prefix: '6201' is one industry, '62' the whole division. */
  industryCode?: string | null;
  legalForm?: LegalForm | null;
  digitalTech?: boolean | null;
  /** Matches the name without regard to case or diacritics. */
  search?: string | null;
  legalRepresentativeId?: number | null;
  /** Registered on or after this day ('YYYY-MM-DD'). */
  registeredFrom?: string | null;
  /** Registered on or before this day ('YYYY-MM-DD'). */
  registeredTo?: string | null;
}

const KEYSETS: Record<BusinessOrder, Keyset<BusinessRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  NAME: { name: 'business:name.vi', columns: ['name_sort', 'id'], direction: 'asc' },
  REGISTERED_ON: { name: 'business:registered_on', columns: ['registered_on', 'id'], direction: 'desc' },
  CHARTER_CAPITAL: { name: 'business:charter_capital', columns: ['charter_capital_sort', 'id'], direction: 'desc' },
};

export interface IndustryCount {
  industryCode: string;
  industryName: string;
  digitalTech: boolean;
  count: number;
}

const INDUSTRY_CODE = /^[0-9]{1,4}$/;

export class BusinessesRepository {
  constructor(private readonly db: Kysely<BusinessDatabase>) {}

  /** `columns` undefined: every column. One compiled shape per column set (platform/db/by-keys.ts). */
  async findByIds(ids: readonly number[], columns?: ReadonlyArray<keyof BusinessRow & string>): Promise<BusinessRow[]> {
    return selectByKeys<BusinessRow>(this.db, 'businesses', 'id', 'int', ids, columns);
  }

  async findByCodes(codes: readonly string[], columns?: ReadonlyArray<keyof BusinessRow & string>): Promise<BusinessRow[]> {
    return selectByKeys<BusinessRow>(this.db, 'businesses', 'code', 'text', codes, columns);
  }

  private filtered(filter: BusinessWhere) {
    let q = this.db.selectFrom('businesses').selectAll();
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.wardId != null) q = q.where('ward_id', '=', filter.wardId);
    if (filter.wardIds) q = q.where('ward_id', '=', sql<number>`any(${[...filter.wardIds]}::int[])`);
    if (filter.industryCode) {
      // Codes are digits: anything else matches nothing rather than acting as a LIKE pattern.
      const code = filter.industryCode.trim();
      if (!INDUSTRY_CODE.test(code)) q = q.where(sql<boolean>`false`);
      else if (code.length === 4) q = q.where('industry_code', '=', code);
      else q = q.where('industry_code', 'like', `${code}%`);
    }
    if (filter.legalForm) q = q.where('legal_form', '=', filter.legalForm);
    if (filter.digitalTech != null) q = q.where('digital_tech', '=', filter.digitalTech);
    if (filter.legalRepresentativeId != null) q = q.where('legal_representative_id', '=', filter.legalRepresentativeId);
    if (filter.registeredFrom) q = q.where('registered_on', '>=', filter.registeredFrom);
    if (filter.registeredTo) q = q.where('registered_on', '<=', filter.registeredTo);
    if (filter.search) q = q.where(foldedContains('business', sql.ref('name'), filter.search));
    return q;
  }

  async list(filter: BusinessWhere, order: BusinessOrder, page: PageRequest): Promise<Page<BusinessRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  /** The number of businesses each citizen represents, in one statement. */
  async countByLegalRepresentative({ parentIds, filter }: CountsPerParent<BusinessWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'legal_representative_id', parentIds);
  }

  async count(filter: BusinessWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * One page of businesses per legal representative for a batch of citizens, in ONE statement:
   * the ids are unnested and each runs the keyset window in a lateral subquery. Every requested
   * citizen gets a page, empty when they represent nothing.
   */
  async pagesByLegalRepresentative({
    parentIds,
    filter,
    order,
    page,
  }: PagesPerParent<BusinessWhere, BusinessOrder>): Promise<Map<number, Page<BusinessRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (citizenId) => this.filtered(filter ?? {}).where('legal_representative_id', '=', citizenId),
      parentOf: (row) => row.legal_representative_id,
      keyset: KEYSETS[order],
      page,
    });
  }

  /** Businesses per industry (largest first), for statistics and the IOC's indicators. */
  async countByIndustry(filter: BusinessWhere = {}): Promise<IndustryCount[]> {
    const rows = await this.filtered(filter)
      .clearSelect()
      .select((eb) => ['industry_code', 'industry_name', 'digital_tech', eb.fn.countAll<number>().as('n')])
      .groupBy(['industry_code', 'industry_name', 'digital_tech'])
      .orderBy('n', 'desc')
      .orderBy('industry_code')
      .execute();
    return rows.map((r) => ({ industryCode: r.industry_code, industryName: r.industry_name, digitalTech: r.digital_tech, count: Number(r.n) }));
  }

  /** Digital technology enterprises, of every status unless one is given. */
  async countDigitalTech(status: BusinessStatus | null = null): Promise<number> {
    return this.count({ kind: 'ENTERPRISE', digitalTech: true, status });
  }
}
