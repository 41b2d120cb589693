import { PersonalDataGuard } from '../access/guard.js';
import type { Principal } from '../access/principal.js';
import { createLoaders, type LoaderOptions, type Loaders } from './loaders.js';
import type { Repositories } from './repositories.js';

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
      const row = await loaders.population.citizenByNationalId.load(principal.citizenNationalId);
      return row ? { id: row.id, householdId: row.household_id } : null;
    },
    async declaredCase() {
      const none = { stands: false, citizenIds: [] };
      if (!principal.caseReference) return none;
      const [dossier] = await repos.services.dossiers.findByCodes([principal.caseReference]);
      if (!dossier) return none;
      if (principal.role !== 'admin') {
        const agency = principal.agency ? await loaders.reference.agencyByCode.load(principal.agency) : null;
        if (agency?.id !== dossier.agency_id) return none;
      }
      // The case opens its applicant; a business applies through its legal representative.
      if (dossier.applicant_kind === 'CITIZEN') return { stands: true, citizenIds: [dossier.applicant_id] };
      const business = await loaders.business.businessById.load(dossier.applicant_id);
      return { stands: true, citizenIds: business ? [business.legal_representative_id] : [] };
    },
    async representsBusiness(citizenId) {
      return (await loaders.business.businessCountByRepresentative(null).load(citizenId)) > 0;
    },
    async isApplicantOfOwnAgency(citizenId) {
      if (!principal.agency) return false;
      const agency = await loaders.reference.agencyByCode.load(principal.agency);
      return agency ? loaders.services.citizenAppliedToAgency(agency.id).load(citizenId) : false;
    },
  });
  return { requestId, principal, repos, loaders, guard, now: new Date() };
}
