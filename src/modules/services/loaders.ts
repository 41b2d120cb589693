import type { ApplicantKind, DossierOrder, DossierWhere, ProcedureOrder, ProcedureRow, ServicesRepositories } from './db/index.js';
import { columnLoader, countLoaderFamily, groupLoader, idLoader, keyLoader, loaderFamily, membershipLoader, pageLoaderFamily, type ColumnPlan, type LoaderOptions } from '../../platform/loaders/batch.js';

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

export function servicesLoaders(repos: ServicesRepositories, options: LoaderOptions) {
  const { procedures, dossiers, dossierEvents } = repos;
  return {
    procedureById: columnLoader((ids: readonly number[], columns) => procedures.findByIds(ids, columns), (row) => row.id, PROCEDURE_COLUMNS, options),
    procedureByCode: columnLoader((codes: readonly string[], columns) => procedures.findByCodes(codes, columns), (row) => row.code, { ...PROCEDURE_COLUMNS, always: ['id', 'code'] }, options),
    proceduresByAgency: pageLoaderFamily((parentIds, order: ProcedureOrder, page) => procedures.pagesByAgency({ parentIds, order, page }), options),
    /** Dossiers by id within a row scope: a hidden dossier loads as null, like a missing one. */
    dossierInScope: loaderFamily((scope: DossierWhere) => idLoader((ids) => dossiers.findByIds(ids, scope), options)),
    /** Dossiers by code within a row scope: a hidden dossier loads as null, like a missing one. */
    dossierByCodeInScope: loaderFamily((scope: DossierWhere) =>
      keyLoader((codes: readonly string[]) => dossiers.findByCodes(codes, scope), (row) => row.code, options),
    ),
    /** Dossiers by code, whoever handles them: the public status lookup (status and dates only). */
    dossierByCode: keyLoader((codes: readonly string[]) => dossiers.findByCodes(codes), (row) => row.code, options),
    dossiersByAgency: pageLoaderFamily(
      (parentIds, { scope, order }: { scope: DossierWhere; order: DossierOrder }, page) => dossiers.pagesByAgency({ parentIds, filter: scope, order, page }),
      options,
    ),
    dossiersByApplicant: pageLoaderFamily(
      (parentIds, { kind, scope, order }: { kind: ApplicantKind; scope: DossierWhere; order: DossierOrder }, page) =>
        dossiers.pagesByApplicant({ kind, parentIds, filter: scope, order, page }),
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
    citizenAppliedToAgency: loaderFamily((agencyId: number) =>
      membershipLoader((ids) => dossiers.applicantsOfAgency(agencyId, 'CITIZEN', ids), options),
    ),
  };
}
