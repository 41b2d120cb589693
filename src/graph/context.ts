import { PersonalDataGuard } from '../auth/guard.js';
import type { Principal } from '../auth/principal.js';
import { createLoaders, type LoaderOptions, type Loaders } from '../loaders/index.js';
import type { Repositories } from '../sources/index.js';

/** Everything a resolver may use, built fresh for each request. */
export interface GraphContext {
  requestId: string;
  /** Who is calling, and why (verified token and purpose headers). */
  principal: Principal;
  repos: Repositories;
  loaders: Loaders;
  /** Decides personal fields and keeps what was read, for the access log. */
  guard: PersonalDataGuard;
  /** The moment the request started: "overdue" and "now" mean the same in every field. */
  now: Date;
}

export function createContext(requestId: string, principal: Principal, repos: Repositories, loaderOptions?: LoaderOptions): GraphContext {
  const loaders = createLoaders(repos, loaderOptions);
  const guard = new PersonalDataGuard(principal, {
    async callerCitizen() {
      if (!principal.citizenNationalId) return null;
      const row = await loaders.citizenByNationalId.load(principal.citizenNationalId);
      return row ? { id: row.id, householdId: row.household_id } : null;
    },
    async caseStands() {
      if (!principal.caseReference) return false;
      const [dossier] = await repos.services.dossiers.findByCodes([principal.caseReference]);
      if (!dossier) return false;
      if (principal.role === 'admin') return true;
      const agency = principal.agency ? await loaders.agencyByCode.load(principal.agency) : null;
      return agency?.id === dossier.agency_id;
    },
    async isApplicantOfOwnAgency(citizenId) {
      if (!principal.agency) return false;
      const agency = await loaders.agencyByCode.load(principal.agency);
      return agency ? loaders.citizenAppliedToAgency(agency.id).load(citizenId) : false;
    },
  });
  return { requestId, principal, repos, loaders, guard, now: new Date() };
}
