/**
 * THE authorization policy of the gateway: every rule of who may see what is stated in this
 * file, and nowhere else. Resolvers and repositories ask it; they never decide by themselves.
 *
 * | data                                   | public | citizen | officer of agency A                 | analyst        | auditor      | admin        |
 * |----------------------------------------|--------|---------|-------------------------------------|----------------|--------------|--------------|
 * | public datasets and indicators,        | yes    | yes     | yes                                 | yes            | yes          | yes          |
 * |   business public profile              |        |         |                                     |                |              |              |
 * | internal indicators, restricted data   | no     | no      | own agency's                        | yes            | no           | yes          |
 * | dossier status by code (public lookup) | yes    | yes     | yes                                 | yes            | no           | yes          |
 * | dossiers in full                       | no     | own     | handled by A                        | aggregates     | no           | yes          |
 * | dossier aggregates                     | no     | no      | A's dossiers                        | yes            | no           | yes          |
 * | citizen name and ward                  | no     | self    | applicants of A's dossiers          | no             | no           | yes          |
 * | citizen personal data (national id,    | no     | self    | applicants of A's dossiers,         | national id    | no           | with a       |
 * |   birth date, gender, phone, e-mail,   |        |         |   with a purpose                    |   masked only  |              |   purpose    |
 * |   address, household)                  |        |         |                                     |                |              |              |
 * | access log                             | no     | about   | no                                  | no             | yes          | yes          |
 * |                                        |        |   self  |                                     |                |              |              |
 *
 * Row scopes are returned as plain filters that the repositories apply in SQL, so that counts,
 * pages and lookups never reveal rows outside them; a hidden row and a missing one look alike.
 */
import type { PersonalKind } from '../graph/personal/personal.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';

// ---------------------------------------------------------------------------------------------
// Field rules for personal data
// ---------------------------------------------------------------------------------------------

/** How the caller stands to the person whose field is read; computed by the guard, batched. */
export interface Relation {
  /** The person is the calling citizen. */
  isSelf: boolean;
  /** The person applied for a dossier handled by the calling officer's agency. */
  isApplicantOfOwnAgency: boolean;
  /**
   * The declared case stands: with DOSSIER_PROCESSING, X-Case-Reference is a dossier the caller
   * handles (an officer: of the own agency). Always true for other purposes.
   */
  caseStands?: boolean;
}

export type Decision =
  | { access: 'visible' }
  | { access: 'masked' }
  | { access: 'denied'; reason: string };

/** Name and ward: who the person is and where they live, without the rest of their record. */
const IDENTITY: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['NAME', 'WARD']);
/** The only field an analyst may see, and only masked. */
const MASKABLE: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['NATIONAL_ID']);

const VISIBLE: Decision = { access: 'visible' };
const MASKED: Decision = { access: 'masked' };
const deny = (reason: string): Decision => ({ access: 'denied', reason });

const CASE_DOES_NOT_STAND = 'X-Case-Reference does not name a dossier handled by your agency';
const NEEDS_PURPOSE = 'Reading personal data needs a declared purpose: send the X-Purpose header (and X-Case-Reference where it applies)';

/** Decides one personal field of one person for the caller. */
export function decidePersonalField(principal: Principal, kind: PersonalKind, relation: Relation): Decision {
  const identity = IDENTITY.has(kind);
  const rules: Record<Role, () => Decision> = {
    public: () => deny('Personal data is not public'),
    citizen: () => (relation.isSelf ? VISIBLE : deny('A citizen may read only their own data')),
    officer: () => {
      if (!relation.isApplicantOfOwnAgency) return deny("An officer may read only applicants of the own agency's dossiers");
      if (identity) return VISIBLE;
      if (!principal.purpose) return deny(NEEDS_PURPOSE);
      return relation.caseStands === false ? deny(CASE_DOES_NOT_STAND) : VISIBLE;
    },
    analyst: () => (MASKABLE.has(kind) ? MASKED : deny('Analysts see aggregates, not personal data')),
    auditor: () => deny('Auditors review the access log, not personal data'),
    admin: () => {
      if (identity) return VISIBLE;
      if (!principal.purpose) return deny(NEEDS_PURPOSE);
      return relation.caseStands === false ? deny(CASE_DOES_NOT_STAND) : VISIBLE;
    },
  };
  return rules[principal.role]();
}

/**
 * Filtering, ordering or looking people up by a personal field reveals that field: allowed
 * only where the caller could read the field itself for every person in their scope (an officer's
 * scope is the own agency's applicants, a citizen's is themselves).
 */
export function mayQueryBy(principal: Principal, kind: PersonalKind, caseStands = true): boolean {
  const relation = { isSelf: principal.role === 'citizen', isApplicantOfOwnAgency: principal.role === 'officer', caseStands };
  return decidePersonalField(principal, kind, relation).access === 'visible';
}

/** Masks a value the caller may see only in part: `048012345612` → `0480******12`. */
export function mask(kind: PersonalKind, value: string): string {
  if (kind === 'NATIONAL_ID' && value.length > 6) return `${value.slice(0, 4)}${'*'.repeat(value.length - 6)}${value.slice(-2)}`;
  return '*'.repeat(value.length);
}

// ---------------------------------------------------------------------------------------------
// Row scopes, applied in SQL
// ---------------------------------------------------------------------------------------------

/** `all`: no restriction; `none`: nothing at all; otherwise the restriction named. */
export type Scope<T> = { kind: 'all' } | { kind: 'none' } | ({ kind: 'some' } & T);

const ALL = { kind: 'all' } as const;
const NONE = { kind: 'none' } as const;

/** Datasets: public ones for everyone; restricted ones for analysts, admins and the publishing agency. */
export function datasetScope(p: Principal): Scope<{ publicOnly: true; ownAgency: string | null }> {
  if (p.role === 'analyst' || p.role === 'admin') return ALL;
  return { kind: 'some', publicOnly: true, ownAgency: p.role === 'officer' ? p.agency : null };
}

/** Indicators: public ones for everyone; internal ones for analysts, admins and the owning agency. */
export function indicatorScope(p: Principal): Scope<{ publicOnly: true; ownAgency: string | null }> {
  if (p.role === 'analyst' || p.role === 'admin') return ALL;
  return { kind: 'some', publicOnly: true, ownAgency: p.role === 'officer' ? p.agency : null };
}

/** Dossiers in full: own for citizens, the agency's for officers, all for admins. */
export function dossierScope(p: Principal): Scope<{ agency: string } | { citizenNationalId: string }> {
  switch (p.role) {
    case 'admin':
      return ALL;
    case 'officer':
      return p.agency ? { kind: 'some', agency: p.agency } : NONE;
    case 'citizen':
      return p.citizenNationalId ? { kind: 'some', citizenNationalId: p.citizenNationalId } : NONE;
    default:
      return NONE;
  }
}

/** Dossier aggregates (IOC dashboards): analysts and admins all, officers their agency's. */
export function dossierStatisticsScope(p: Principal): Scope<{ agency: string }> {
  if (p.role === 'analyst' || p.role === 'admin') return ALL;
  if (p.role === 'officer' && p.agency) return { kind: 'some', agency: p.agency };
  return NONE;
}

/** The public dossier status lookup by code: anyone but auditors. */
export function mayLookUpDossierStatus(p: Principal): boolean {
  return p.role !== 'auditor';
}

/** Which citizens a caller can find by listing or lookup (their fields are still decided one by one). */
export function citizenScope(p: Principal): Scope<{ citizenNationalId: string } | { applicantsOfAgency: string }> {
  switch (p.role) {
    case 'admin':
      return ALL;
    case 'officer':
      return p.agency ? { kind: 'some', applicantsOfAgency: p.agency } : NONE;
    case 'citizen':
      return p.citizenNationalId ? { kind: 'some', citizenNationalId: p.citizenNationalId } : NONE;
    default:
      return NONE;
  }
}

/** Households: their members (citizens) and admins. */
export function householdScope(p: Principal): Scope<{ citizenNationalId: string }> {
  if (p.role === 'admin') return ALL;
  if (p.role === 'citizen' && p.citizenNationalId) return { kind: 'some', citizenNationalId: p.citizenNationalId };
  return NONE;
}

/** Whether the caller may read the access-log entries about one citizen (`me { accessLog }`). */
export function mayReadAccessLogAbout(p: Principal, isSelf: boolean): boolean {
  return p.role === 'auditor' || p.role === 'admin' || (p.role === 'citizen' && isSelf);
}

/** The access log: auditors and admins all; a citizen the entries about themselves. */
export function accessLogScope(p: Principal): Scope<{ citizenNationalId: string }> {
  if (p.role === 'auditor' || p.role === 'admin') return ALL;
  if (p.role === 'citizen' && p.citizenNationalId) return { kind: 'some', citizenNationalId: p.citizenNationalId };
  return NONE;
}
