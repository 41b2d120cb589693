import { sql, type Kysely } from 'kysely';
import { countByParent, fetchPage, fetchPagesByParent, type Keyset, type Page, type PageArgs } from '../../../platform/db/keyset.js';
import { dossierConditions, type DossierFilter } from './dossier-conditions.js';

import type { ApplicantKind, DossierRow, ServicesDatabase } from './tables.js';

/** SUBMITTED_AT: newest first. DUE_AT: due soonest first (an officer's worklist). CODE: by code. */
export type DossierOrder = 'SUBMITTED_AT' | 'DUE_AT' | 'CODE';

const KEYSETS: Record<DossierOrder, Keyset<DossierRow>> = {
  SUBMITTED_AT: { name: 'dossier:submitted', columns: ['submitted_at', 'id'], direction: 'desc', values: (r) => [r.submitted_at, r.id] },
  DUE_AT: { name: 'dossier:due', columns: ['due_at', 'id'], direction: 'asc', values: (r) => [r.due_at, r.id] },
  CODE: { name: 'dossier:code', columns: ['code', 'id'], direction: 'asc', values: (r) => [r.code, r.id] },
};

export class DossiersRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** Dossiers by id, within a row scope when one is given (a hidden dossier is simply absent). */
  async findByIds(ids: readonly number[], scope: DossierFilter = {}): Promise<DossierRow[]> {
    if (ids.length === 0) return [];
    return this.filtered({ ...scope, ids }).execute();
  }

  /** The public status lookup goes through here: codes are what applicants hold. */
  async findByCodes(codes: readonly string[]): Promise<DossierRow[]> {
    if (codes.length === 0) return [];
    return this.db.selectFrom('dossiers').selectAll().where('code', '=', sql<string>`any(${[...codes]}::text[])`).execute();
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

  private filtered(filter: DossierFilter) {
    let q = this.db.selectFrom('dossiers').selectAll();
    for (const condition of dossierConditions(filter)) q = q.where(condition);
    return q;
  }

  async list(filter: DossierFilter, order: DossierOrder, page: PageArgs): Promise<Page<DossierRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  /** The number of each agency's dossiers within a filter (a row scope), in one statement. */
  async countByAgency(agencyIds: readonly number[], filter: DossierFilter = {}): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter), 'agency_id', agencyIds);
  }

  /** The number of each applicant's dossiers within a filter (a row scope), in one statement. */
  async countByApplicant(kind: ApplicantKind, applicantIds: readonly number[], filter: DossierFilter = {}): Promise<Map<number, number>> {
    return countByParent(this.filtered({ ...filter, applicantKind: kind }), 'applicant_id', applicantIds);
  }

  async count(filter: DossierFilter): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of each agency's dossiers (the same page `list` gives with `agencyId`), in one statement. */
  async pagesByAgency(
    agencyIds: readonly number[],
    filter: DossierFilter,
    page: PageArgs,
    order: DossierOrder = 'SUBMITTED_AT',
  ): Promise<Map<number, Page<DossierRow>>> {
    return fetchPagesByParent(
      this.db,
      agencyIds,
      (agencyId) => this.filtered(filter).where('agency_id', '=', agencyId),
      (row) => row.agency_id,
      KEYSETS[order],
      page,
    );
  }

  /** A page of each applicant's dossiers (citizens or businesses), in one statement. */
  async pagesByApplicant(
    kind: ApplicantKind,
    applicantIds: readonly number[],
    page: PageArgs,
    filter: DossierFilter = {},
    order: DossierOrder = 'SUBMITTED_AT',
  ): Promise<Map<number, Page<DossierRow>>> {
    return fetchPagesByParent(
      this.db,
      applicantIds,
      (applicantId) => this.filtered(filter).where('applicant_kind', '=', kind).where('applicant_id', '=', applicantId),
      (row) => row.applicant_id,
      KEYSETS[order],
      page,
    );
  }
}
