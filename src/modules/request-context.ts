import type { Principal } from '../access/principal.js';
import { RequestAccess, type AccessLookups, type AccessOptions } from '../access/request.js';
import type { CursorCodec } from '../platform/db/cursors.js';
import { QueryStats } from '../platform/db/query-stats.js';
import type { GraphContext, Loaders, Repositories } from './context.js';
import { createLoaders, type LoaderOptions } from './loaders.js';

/** One request's context (src/modules/context.ts says what it holds). */
export function createContext(
  requestId: string,
  principal: Principal,
  repos: Repositories,
  cursors: CursorCodec,
  loaderOptions?: LoaderOptions,
  accessOptions?: AccessOptions,
  statements: QueryStats = new QueryStats(),
): GraphContext {
  const loaders = createLoaders(repos, loaderOptions);
  const access = new RequestAccess(principal, accessLookups(repos, loaders), accessOptions);
  return { requestId, principal, repos, loaders, access, guard: access.guard, now: new Date(), cursors, statements };
}

/**
 * How the access package finds what it needs in the sources: through this request's loaders
 * (batched, cached per request), never by SQL across sources.
 */
function accessLookups(repos: Repositories, loaders: Loaders): AccessLookups {
  const applicants = new Map<number, Promise<readonly number[]>>();
  return {
    async agencyIdByCode(code) {
      return (await loaders.reference.agencyByCode.load(code))?.id ?? null;
    },
    async citizenByNationalId(nationalId) {
      const row = await loaders.population.citizenByNationalId.load(nationalId);
      return row ? { id: row.id, householdId: row.household_id } : null;
    },
    async dossierByCode(code) {
      const dossier = await loaders.services.dossierByCode.load(code);
      return dossier ? { agencyId: dossier.agency_id, applicant: { kind: dossier.applicant_kind, id: dossier.applicant_id } } : null;
    },
    async legalRepresentativeOf(businessId) {
      return (await loaders.business.businessById.load(businessId))?.legal_representative_id ?? null;
    },
    isApplicantOfAgency(agencyId, citizenId) {
      return loaders.services.citizenAppliedToAgency(agencyId).load(citizenId);
    },
    applicantsOfAgency(agencyId) {
      // The applicants are in another source (services): the list is loaded at most once per request.
      let ids = applicants.get(agencyId);
      if (!ids) {
        ids = repos.services.dossiers.applicantIdsOfAgency(agencyId, 'CITIZEN');
        applicants.set(agencyId, ids);
      }
      return ids;
    },
    async representsBusiness(citizenId) {
      return (await loaders.business.businessCountByRepresentative(null).load(citizenId)) > 0;
    },
  };
}
