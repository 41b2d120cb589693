import type { PersonalDataGuard } from '../access/guard.js';
import type { Principal } from '../access/principal.js';
import { RequestAccess, type AccessLookups, type AccessOptions } from '../access/request.js';
import type { CursorCodec } from '../platform/db/cursors.js';
import { QueryStats } from '../platform/db/query-stats.js';
import { createLoaders, type LoaderOptions, type Loaders } from './loaders.js';
import type { Repositories } from './repositories.js';

/** Everything a resolver may use, built fresh for each request. */
export interface GraphContext {
  requestId: string;
  /** Who is calling, and why (verified token and purpose headers). */
  principal: Principal;
  repos: Repositories;
  loaders: Loaders;
  /** The request's access decisions: the principal resolved once, row scopes, the guard (src/access). */
  access: RequestAccess;
  /** Decides personal fields and keeps what was read, for the access log (`access.guard`). */
  guard: PersonalDataGuard;
  /** The moment the request started: "overdue" and "now" mean the same in every field. */
  now: Date;
  /** This caller's pagination cursors (the gateway's codec bound to the caller): `cursors.page(args)` is what repositories and page loaders take. */
  cursors: CursorCodec;
  /** The SQL statements this request cost, by source: its repositories count on it (countedRepositories). */
  statements: QueryStats;
}

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
