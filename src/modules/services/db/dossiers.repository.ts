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
import { fetchPageWith } from '../../../platform/paging/page-with.js';
import { dossierConditions, type DossierWhere } from './dossier-conditions.js';
import type { DossierRow, ProcedureRow, ServicesDatabase } from './tables.js';
import type { ApplicantKind, DossierOrder } from './vocabulary.js';
import { selectingOnly } from '../../../platform/paging/columns.js';

/** The names a procedure's columns come under in its dossiers' statement (no dossier column has a `$`). */
const PROCEDURE_PREFIX = 'procedure$';

/** A page of dossiers, with the procedures of its rows when they were asked for. */
export interface DossierPage extends Page<DossierRow> {
  /** One row per procedure of the page's dossiers, with the columns asked; absent when they were not asked for. */
  procedures?: ProcedureRow[];
}

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
  async list(
    filter: DossierWhere,
    order: DossierOrder,
    page: PageRequest,
    columns?: readonly (keyof DossierRow & string)[],
    procedureColumns?: readonly (keyof ProcedureRow & string)[],
  ): Promise<DossierPage> {
    const keyset = KEYSETS[order];
    let query = selectingOnly(this.filtered(filter), keyset, columns);
    if (!columns && procedureColumns) query = query.clearSelect().selectAll('dossiers') as unknown as typeof query;
    if (!procedureColumns) return fetchPage(query, keyset, page);
    const selected = [...new Set<string>(['id', ...procedureColumns])];
    const { page: fetched, joined } = await fetchPageWith(this.db, {
      query,
      keyset,
      page,
      // The dossiers' procedure (the same database), by primary key, only the columns asked.
      join: (outer) =>
        outer
          .leftJoin('procedures as procedure', 'procedure.id', 'page.procedure_id')
          .select(selected.map((column) => sql.ref(`procedure.${column}`).as(PROCEDURE_PREFIX + column))),
    });
    return { ...fetched, procedures: proceduresOf(joined, selected) };
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

  /**
   * A page of each applicant's dossiers (citizens or businesses: `kind`), in one statement. With
   * `procedureColumns`, each dossier's procedure in it too (the same database): joined inside each
   * applicant's walk, before its limit, which is fine for the dozens of dossiers one applicant
   * files (an agency's pages, which may hold thousands, are not joined so).
   */
  async pagesByApplicant({
    kind,
    parentIds,
    filter,
    order,
    page,
    procedureColumns,
  }: PagesPerParent<DossierWhere, DossierOrder> & { kind: ApplicantKind; procedureColumns?: readonly (keyof ProcedureRow & string)[] }): Promise<
    Map<number, DossierPage>
  > {
    const selected = procedureColumns && [...new Set<string>(['id', ...procedureColumns])];
    const pages = await fetchPagesByParent(this.db, {
      parentIds,
      children: (applicantId) => {
        const children = this.filtered(filter ?? {}).where('applicant_kind', '=', kind).where('applicant_id', '=', applicantId);
        if (!selected) return children;
        // A lateral subquery whose output names are all prefixed: the dossiers' unqualified
        // conditions and ordering (`id`, `code`, `agency_id`) cannot meet a procedure's column,
        // and the children's `select *` takes its columns along.
        return children
          .leftJoinLateral(
            (eb) =>
              eb
                .selectFrom('procedures')
                .select(selected.map((column) => sql.ref(column).as(PROCEDURE_PREFIX + column)))
                .whereRef('procedures.id', '=', 'dossiers.procedure_id')
                .as('procedure'),
            (join) => join.onTrue(),
          ) as unknown as typeof children;
      },
      parentOf: (row) => row.applicant_id,
      keyset: KEYSETS[order],
      page,
    });
    if (!selected) return pages;
    const withProcedures = new Map<number, DossierPage>();
    for (const [id, one] of pages) withProcedures.set(id, { ...one, procedures: proceduresOf(one.edges.map((edge) => edge.node), selected) });
    return withProcedures;
  }
}

/** The procedures of a page's rows (each once), from their PROCEDURE_PREFIX columns. */
function proceduresOf(rows: readonly DossierRow[], selected: readonly string[]): ProcedureRow[] {
  const byId = new Map<number, ProcedureRow>();
  for (const row of rows as unknown as ReadonlyArray<Record<string, unknown>>) {
    const id = row[`${PROCEDURE_PREFIX}id`] as number | null;
    if (id === null || byId.has(id)) continue;
    const procedure: Record<string, unknown> = {};
    for (const column of selected) procedure[column] = row[PROCEDURE_PREFIX + column];
    byId.set(id, procedure as unknown as ProcedureRow);
  }
  return [...byId.values()];
}
