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
import { dossierConditions, type DossierWhere } from './dossier-conditions.js';
import type { DossierRow, ServicesDatabase } from './tables.js';
import type { ApplicantKind, DossierOrder } from './vocabulary.js';

const KEYSETS: Record<DossierOrder, Keyset<DossierRow>> = {
  SUBMITTED_AT: { name: 'dossier:submitted', columns: ['submitted_at', 'id'], direction: 'desc' },
  DUE_AT: { name: 'dossier:due', columns: ['due_at', 'id'], direction: 'asc' },
  CODE: { name: 'dossier:code', columns: ['code', 'id'], direction: 'asc' },
};

export class DossiersRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** Dossiers by id, within a row scope when one is given (a hidden dossier is simply absent). */
  async findByIds(ids: readonly number[], scope: DossierWhere = {}): Promise<DossierRow[]> {
    if (ids.length === 0) return [];
    return this.filtered({ ...scope, ids }).execute();
  }

  /**
   * Dossiers by public code, within a row scope when one is given: the public status lookup (no
   * scope: codes are what applicants hold) and the lookup by code of a scoped caller.
   */
  async findByCodes(codes: readonly string[], scope: DossierWhere = {}): Promise<DossierRow[]> {
    if (codes.length === 0) return [];
    return this.filtered({ ...scope, codes }).execute();
  }

  /** Which of these applicants have a dossier handled by the agency: one statement per batch. */
  async applicantsOfAgency(agencyId: number, kind: ApplicantKind, applicantIds: readonly number[]): Promise<Set<number>> {
    if (applicantIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('dossiers')
      .select('applicant_id')
      .distinct()
      .where('agency_id', '=', agencyId)
      .where('applicant_kind', '=', kind)
      .where('applicant_id', '=', sql<number>`any(${[...applicantIds]}::int[])`)
      .execute();
    return new Set(rows.map((row) => row.applicant_id));
  }

  /** Every applicant of the agency's dossiers (an officer's scope over the population register). */
  async applicantIdsOfAgency(agencyId: number, kind: ApplicantKind): Promise<number[]> {
    const rows = await this.db
      .selectFrom('dossiers')
      .select('applicant_id')
      .distinct()
      .where('agency_id', '=', agencyId)
      .where('applicant_kind', '=', kind)
      .execute();
    return rows.map((row) => row.applicant_id);
  }

  private filtered(filter: DossierWhere) {
    let q = this.db.selectFrom('dossiers').selectAll();
    for (const condition of dossierConditions(filter)) q = q.where(condition);
    return q;
  }

  /**
   * A page of dossiers. With `columns`, only those are fetched (and the id and the ordering's,
   * which the cursors carry): the rows' other columns are absent, so the caller maps only what
   * it asked for (the fields a document selects, src/platform/relay/selection.ts).
   */
  async list(filter: DossierWhere, order: DossierOrder, page: PageRequest, columns?: readonly (keyof DossierRow & string)[]): Promise<Page<DossierRow>> {
    const keyset = KEYSETS[order];
    let query = this.filtered(filter);
    if (columns) query = query.clearSelect().select([...new Set<keyof DossierRow & string>(['id', ...keyset.columns, ...columns])]) as unknown as typeof query;
    return fetchPage(query, keyset, page);
  }

  /** The number of each agency's dossiers within a filter (a row scope), in one statement. */
  async countByAgency({ parentIds, filter }: CountsPerParent<DossierWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'agency_id', parentIds);
  }

  /** The number of each applicant's dossiers (citizens or businesses) within a filter (a row scope), in one statement. */
  async countByApplicant({ kind, parentIds, filter }: CountsPerParent<DossierWhere> & { kind: ApplicantKind }): Promise<Map<number, number>> {
    return countByParent(this.filtered({ ...filter, applicantKind: kind }), 'applicant_id', parentIds);
  }

  async count(filter: DossierWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of each agency's dossiers (the same page `list` gives with `agencyId`), in one statement. */
  async pagesByAgency({ parentIds, filter, order, page }: PagesPerParent<DossierWhere, DossierOrder>): Promise<Map<number, Page<DossierRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (agencyId) => this.filtered(filter ?? {}).where('agency_id', '=', agencyId),
      parentOf: (row) => row.agency_id,
      keyset: KEYSETS[order],
      page,
    });
  }

  /** A page of each applicant's dossiers (citizens or businesses: `kind`), in one statement. */
  async pagesByApplicant({
    kind,
    parentIds,
    filter,
    order,
    page,
  }: PagesPerParent<DossierWhere, DossierOrder> & { kind: ApplicantKind }): Promise<Map<number, Page<DossierRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (applicantId) => this.filtered(filter ?? {}).where('applicant_kind', '=', kind).where('applicant_id', '=', applicantId),
      parentOf: (row) => row.applicant_id,
      keyset: KEYSETS[order],
      page,
    });
  }
}
