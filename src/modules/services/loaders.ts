import type DataLoader from 'dataloader';
import type { ApplicantKind, DossierOrder, DossierRow, DossierWhere, ProcedureOrder, ProcedureRow, ServicesRepositories } from './db/index.js';
import { columnLoader, countLoaderFamily, groupLoader, idLoader, keyLoader, loaderFamily, membershipLoader, pageLoaderFamily, planColumns, type ColumnPlan, type LoaderOptions } from '../../platform/loaders/batch.js';

/** The columns each field of `Procedure` is made from (graph/procedure.type.ts `Procedure.from`, and the agency's key). */
export const PROCEDURE_COLUMNS: ColumnPlan<ProcedureRow> = {
  always: ['id'],
  fields: {
    id: [],
    code: ['code'],
    name: ['name'],
    field: ['field'],
    serviceLevel: ['service_level'],
    processingDays: ['processing_days'],
    fee: ['fee'],
    agency: ['agency_id'],
  },
  // A relation another source adds to procedures would go by the procedure's id.
  unlisted: 'always',
};

/** What a dossier row read in the request tells of its applicant (any row: a list's, a lookup's, a page per parent's). */
type DossierFacts = Partial<Pick<DossierRow, 'agency_id' | 'applicant_kind' | 'applicant_id'>>;

export function servicesLoaders(repos: ServicesRepositories, options: LoaderOptions) {
  const { procedures, dossiers, dossierEvents } = repos;

  /**
   * The citizens each agency's dossiers read in this request were filed by. A dossier row with
   * agency A and applicant (CITIZEN, X) proves that X applied to A, however the row was found
   * (within whichever row scope): the answer `citizenAppliedToAgency(A)` would get from SQL for X.
   * Only positive facts: a citizen not seen here is still asked (one statement per batch).
   */
  const applied = new Map<number, Set<number>>();
  const appliedLoaders = new Map<number, DataLoader<number, boolean>>();
  const noteDossiers = (rows: Iterable<DossierFacts>): void => {
    let agency: number | undefined;
    let seen: Set<number> | undefined;
    for (const row of rows) {
      if (row.applicant_kind !== 'CITIZEN' || row.agency_id == null || row.applicant_id == null) continue;
      if (row.agency_id !== agency) {
        agency = row.agency_id;
        seen = applied.get(agency);
        if (!seen) applied.set(agency, (seen = new Set()));
      }
      if (seen!.has(row.applicant_id)) continue;
      seen!.add(row.applicant_id);
      // A loader made already is primed now; one made later is primed from `applied` when made.
      appliedLoaders.get(agency)?.prime(row.applicant_id, true);
    }
  };
  const noted = <T extends DossierFacts>(rows: T[]): T[] => (noteDossiers(rows), rows);
  const notedPages = <P extends { edges: Array<{ node: DossierFacts }> }>(pages: Map<number, P>): Map<number, P> => {
    for (const page of pages.values()) noteDossiers(page.edges.map((edge) => edge.node));
    return pages;
  };

  const procedureById = columnLoader((ids: readonly number[], columns) => procedures.findByIds(ids, columns), (row) => row.id, PROCEDURE_COLUMNS, options);

  return {
    /** Primes the applicant facts of dossier rows read otherwise than through these loaders (the root list). */
    noteDossiers,
    procedureById,
    procedureByCode: columnLoader((codes: readonly string[], columns) => procedures.findByCodes(codes, columns), (row) => row.code, { ...PROCEDURE_COLUMNS, always: ['id', 'code'] }, options),
    proceduresByAgency: pageLoaderFamily((parentIds, order: ProcedureOrder, page) => procedures.pagesByAgency({ parentIds, order, page }), options),
    /** Dossiers by id within a row scope: a hidden dossier loads as null, like a missing one. */
    dossierInScope: loaderFamily((scope: DossierWhere) => idLoader(async (ids) => noted(await dossiers.findByIds(ids, scope)), options)),
    /** Dossiers by code within a row scope: a hidden dossier loads as null, like a missing one. */
    dossierByCodeInScope: loaderFamily((scope: DossierWhere) =>
      keyLoader(async (codes: readonly string[]) => noted(await dossiers.findByCodes(codes, scope)), (row) => row.code, options),
    ),
    /** Dossiers by code, whoever handles them: the public status lookup (status and dates only). */
    dossierByCode: keyLoader(async (codes: readonly string[]) => noted(await dossiers.findByCodes(codes)), (row) => row.code, options),
    dossiersByAgency: pageLoaderFamily(
      async (parentIds, { scope, order }: { scope: DossierWhere; order: DossierOrder }, page) =>
        notedPages(await dossiers.pagesByAgency({ parentIds, filter: scope, order, page })),
      options,
    ),
    /**
     * With `procedureFields` (the fields the document asks of the dossiers' procedure), the
     * procedures come in the pages' statement and are primed into `procedureById`.
     */
    dossiersByApplicant: pageLoaderFamily(
      async (
        parentIds,
        { kind, scope, order, procedureFields }: { kind: ApplicantKind; scope: DossierWhere; order: DossierOrder; procedureFields?: readonly string[] },
        page,
      ) => {
        const fields = procedureFields && new Set(procedureFields);
        const procedureColumns = fields && planColumns(PROCEDURE_COLUMNS, fields);
        const pages = notedPages(await dossiers.pagesByApplicant({ kind, parentIds, filter: scope, order, page, procedureColumns }));
        if (procedureColumns) for (const one of pages.values()) for (const procedure of one.procedures ?? []) procedureById.prime(procedure.id, procedure, fields);
        return pages;
      },
      options,
    ),
    procedureCountByAgency: countLoaderFamily((parentIds) => procedures.countByAgency({ parentIds }), options),
    dossierCountByAgency: countLoaderFamily((parentIds, scope: DossierWhere) => dossiers.countByAgency({ parentIds, filter: scope }), options),
    dossierCountByApplicant: countLoaderFamily(
      (parentIds, { kind, scope }: { kind: ApplicantKind; scope: DossierWhere }) => dossiers.countByApplicant({ kind, parentIds, filter: scope }),
      options,
    ),
    dossierEvents: groupLoader((ids) => dossierEvents.findByDossierIds(ids), (row) => row.dossier_id, options),
    /** Whether a citizen applied for a dossier of the agency (the officer's relation to them). */
    citizenAppliedToAgency: (agencyId: number): DataLoader<number, boolean> => {
      let made = appliedLoaders.get(agencyId);
      if (!made) {
        made = membershipLoader((ids) => dossiers.applicantsOfAgency(agencyId, 'CITIZEN', ids), options);
        for (const citizenId of applied.get(agencyId) ?? []) made.prime(citizenId, true);
        appliedLoaders.set(agencyId, made);
      }
      return made;
    },
  };
}
