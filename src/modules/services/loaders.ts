import type { ApplicantKind, DossierFilter, DossierOrder, ProcedureOrder, ServicesRepositories } from './db/index.js';
import { countLoaderFamily, groupLoader, idLoader, loaderFamily, membershipLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function servicesLoaders(repos: ServicesRepositories, options: LoaderOptions) {
  const { procedures, dossiers, dossierEvents } = repos;
  return {
    procedureById: idLoader((ids) => procedures.findByIds(ids), options),
    proceduresByAgency: pageLoaderFamily((ids, order: ProcedureOrder, page) => procedures.pagesByAgency(ids, {}, page, order), options),
    /** Dossiers by id within a row scope: a hidden dossier loads as null, like a missing one. */
    dossierInScope: loaderFamily((scope: DossierFilter) => idLoader((ids) => dossiers.findByIds(ids, scope), options)),
    dossiersByAgency: pageLoaderFamily(
      (ids, { scope, order }: { scope: DossierFilter; order: DossierOrder }, page) => dossiers.pagesByAgency(ids, scope, page, order),
      options,
    ),
    dossiersByApplicant: pageLoaderFamily(
      (ids, { kind, scope, order }: { kind: ApplicantKind; scope: DossierFilter; order: DossierOrder }, page) =>
        dossiers.pagesByApplicant(kind, ids, page, scope, order),
      options,
    ),
    procedureCountByAgency: countLoaderFamily((ids) => procedures.countByAgency(ids), options),
    dossierCountByAgency: countLoaderFamily((ids, scope: DossierFilter) => dossiers.countByAgency(ids, scope), options),
    dossierCountByApplicant: countLoaderFamily(
      (ids, { kind, scope }: { kind: ApplicantKind; scope: DossierFilter }) => dossiers.countByApplicant(kind, ids, scope),
      options,
    ),
    dossierEvents: groupLoader((ids) => dossierEvents.findByDossierIds(ids), (row) => row.dossier_id, options),
    /** Whether a citizen applied for a dossier of the agency (the officer's relation to them). */
    citizenAppliedToAgency: loaderFamily((agencyId: number) =>
      membershipLoader((ids) => dossiers.applicantsOfAgency(agencyId, 'CITIZEN', ids), options),
    ),
  };
}
