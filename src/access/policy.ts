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
 * | dossier aggregates of fewer than k     | no     | no      | withheld (and their complements);   | withheld       | no           | yes          |
 * |   dossiers (k = 5), sub-day windows    |        |         |   bounds are whole days             |                |              |              |
 * | citizen name and ward                  | no     | self    | applicants of A's dossiers          | no             | no           | yes          |
 * | a business's legal representative's    | yes    | yes     | yes                                 | yes            | yes          | yes          |
 * |   full name (public register data)     |        |         |                                     |                |              |              |
 * | citizen personal data (national id,    | no     | self    | applicants of A's dossiers,         | national id    | no           | with a       |
 * |   birth date, gender, phone, e-mail,   |        |         |   with a purpose                    |   masked only  |              |   purpose    |
 * |   address, household)                  |        |         |   (what each purpose opens: below)  |                |              |              |
 * | household record: code, address,       | no     | own     | no                                  | no             | no           | with a       |
 * |   member count, head, members          |        |         |                                     |                |              |   purpose    |
 * | access log                             | no     | about   | no                                  | no             | yes          | yes          |
 * |                                        |        |   self  |                                     |                |              |              |
 *
 * Filters, orderings, look-ups, searches and counts on a personal field need read access to that
 * field, and are disclosures written to the access log like reads (FOUND_BY, COUNTED_BY).
 *
 * Row scopes are returned as plain filters that the repositories apply in SQL, so that counts,
 * pages and lookups never reveal rows outside them; a hidden row and a missing one look alike.
 */
import type { PersonalKind } from './graphql/personal.js';
import type { Principal } from './principal.js';
import type { Purpose, Role } from './roles.js';

// ---------------------------------------------------------------------------------------------
// Purposes: what each declared purpose opens, and the reference it needs
// ---------------------------------------------------------------------------------------------

/**
 * A purpose opens personal data beyond name and ward (identity). The reference is X-Case-Reference;
 * it is written to every access-log entry of the request, whatever the purpose.
 *
 * | purpose                | officer of agency A                           | admin                   | reference needed          |
 * |------------------------|-----------------------------------------------|-------------------------|---------------------------|
 * | DOSSIER_PROCESSING     | every field of the dossier's applicant (a     | the same, any dossier   | a dossier code: A's       |
 * |                        |   business applicant: its legal representative)|                        |   (admin: any dossier)    |
 * | CITIZEN_REQUEST        | phone and e-mail of applicants of A's dossiers| every field of everyone | none (logged when given)  |
 * |                        |   (to answer them), nothing else              |                         |                           |
 * | LEGAL_OBLIGATION,      | nothing (served to the administration, not to | every field of everyone | none (logged when given)  |
 * |   SECURITY_INVESTIGATION|  a desk officer)                             |                         |                           |
 * | SELF_SERVICE           | nothing (a citizen reading their own data)    | nothing                 | none                      |
 *
 * Filtering, ordering or looking up by a field follows the same rule (see mayQueryBy): an officer
 * with DOSSIER_PROCESSING searches by birth date, gender or national id only among the people the
 * case opens.
 */
export interface PurposeRule {
  /** 'case': only the person the dossier in X-Case-Reference names; 'scope': anyone the role may find. */
  opens: 'case' | 'scope' | 'nothing';
  /** The personal kinds opened (beyond identity); undefined: all. */
  kinds?: ReadonlySet<PersonalKind>;
  /** What X-Case-Reference must be. */
  reference: 'dossier' | 'none';
}

const CONTACT: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['PHONE', 'EMAIL']);
const OPENS_NOTHING: PurposeRule = { opens: 'nothing', reference: 'none' };

export const PURPOSE_RULES: Record<'officer' | 'admin', Record<Purpose, PurposeRule>> = {
  officer: {
    DOSSIER_PROCESSING: { opens: 'case', reference: 'dossier' },
    CITIZEN_REQUEST: { opens: 'scope', kinds: CONTACT, reference: 'none' },
    LEGAL_OBLIGATION: OPENS_NOTHING,
    SECURITY_INVESTIGATION: OPENS_NOTHING,
    SELF_SERVICE: OPENS_NOTHING,
  },
  admin: {
    DOSSIER_PROCESSING: { opens: 'case', reference: 'dossier' },
    CITIZEN_REQUEST: { opens: 'scope', reference: 'none' },
    LEGAL_OBLIGATION: { opens: 'scope', reference: 'none' },
    SECURITY_INVESTIGATION: { opens: 'scope', reference: 'none' },
    SELF_SERVICE: OPENS_NOTHING,
  },
};

/** The rule of the caller's declared purpose; null without a purpose or for roles purposes do not apply to. */
export function purposeRule(p: Principal): PurposeRule | null {
  if (!p.purpose || (p.role !== 'officer' && p.role !== 'admin')) return null;
  return PURPOSE_RULES[p.role][p.purpose];
}

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
   * The reference stands: with DOSSIER_PROCESSING, X-Case-Reference is a dossier the caller
   * handles (an officer: of the own agency). Always true for purposes that need no reference.
   */
  caseStands?: boolean;
  /** The person is the one the case names (its applicant, or a business applicant's legal representative). */
  isCaseSubject?: boolean;
  /** The person is the legal representative of a business in the register (asked only when it decides). */
  representsBusiness?: boolean;
}

export type Decision =
  | { access: 'visible' }
  | { access: 'masked' }
  | { access: 'denied'; reason: string };

/** Name and ward: who the person is and where they live, without the rest of their record. */
const IDENTITY: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['NAME', 'WARD']);
/** The only field an analyst may see, and only masked. */
const MASKABLE: ReadonlySet<PersonalKind> = new Set<PersonalKind>(['NATIONAL_ID']);

export function isIdentity(kind: PersonalKind): boolean {
  return IDENTITY.has(kind);
}

const VISIBLE: Decision = { access: 'visible' };
const MASKED: Decision = { access: 'masked' };
const deny = (reason: string): Decision => ({ access: 'denied', reason });

const CASE_DOES_NOT_STAND = 'X-Case-Reference does not name a dossier handled by your agency';
const NOT_CASE_SUBJECT = "DOSSIER_PROCESSING opens only the applicant of the dossier in X-Case-Reference (a business applicant's legal representative)";
const NEEDS_PURPOSE = 'Reading personal data needs a declared purpose: send the X-Purpose header (and X-Case-Reference where it applies)';

/** What a declared purpose lets through for a field beyond identity (officers and admins). */
function byPurpose(principal: Principal, kind: PersonalKind, relation: Relation): Decision {
  const rule = purposeRule(principal);
  if (!rule) return deny(NEEDS_PURPOSE);
  if (rule.opens === 'nothing') return deny(`X-Purpose ${principal.purpose} opens no personal data for role ${principal.role}`);
  if (rule.reference === 'dossier' && relation.caseStands === false) return deny(CASE_DOES_NOT_STAND);
  if (rule.opens === 'case' && relation.isCaseSubject === false) return deny(NOT_CASE_SUBJECT);
  if (rule.kinds && !rule.kinds.has(kind)) {
    return deny(`X-Purpose ${principal.purpose} opens only ${[...rule.kinds].map((k) => k.toLowerCase()).join(' and ')} for role ${principal.role}`);
  }
  return VISIBLE;
}

/**
 * One answer per fact: the name of a business's legal representative is public register data. It
 * is printed in the business register, and a household business is most often named after its
 * owner ("Hộ kinh doanh <full name>"), public and searchable. So a legal representative's full name
 * is visible to every caller, on every path to that person; their other fields stay guarded.
 */
export function isPublicRegisterData(kind: PersonalKind, relation: Relation): boolean {
  return kind === 'NAME' && relation.representsBusiness === true;
}

/** Decides one personal field of one person for the caller. */
export function decidePersonalField(principal: Principal, kind: PersonalKind, relation: Relation): Decision {
  if (isPublicRegisterData(kind, relation)) return VISIBLE;
  const identity = IDENTITY.has(kind);
  const rules: Record<Role, () => Decision> = {
    public: () => deny('Personal data is not public'),
    citizen: () => (relation.isSelf ? VISIBLE : deny('A citizen may read only their own data')),
    officer: () => {
      // The case's subject counts as the agency's applicant: a business applicant's representative.
      const caseSubject = relation.isCaseSubject === true && relation.caseStands !== false && purposeRule(principal)?.opens === 'case';
      if (!relation.isApplicantOfOwnAgency && !caseSubject) return deny("An officer may read only applicants of the own agency's dossiers");
      if (identity) return VISIBLE;
      return byPurpose(principal, kind, relation);
    },
    analyst: () => (MASKABLE.has(kind) ? MASKED : deny('Analysts see aggregates, not personal data')),
    auditor: () => deny('Auditors review the access log, not personal data'),
    admin: () => (identity ? VISIBLE : byPurpose(principal, kind, relation)),
  };
  return rules[principal.role]();
}

/**
 * Filtering, ordering or looking people up by a personal field reveals that field: allowed
 * only where the caller could read the field itself for every person the query searches (an
 * officer's scope is the own agency's applicants, a citizen's is themselves; under a purpose that
 * opens one case, the search runs only among the people it opens, see queryNarrowedToCase).
 */
export function mayQueryBy(principal: Principal, kind: PersonalKind, caseStands = true): boolean {
  const relation: Relation = { isSelf: principal.role === 'citizen', isApplicantOfOwnAgency: principal.role === 'officer', caseStands, isCaseSubject: true };
  return decidePersonalField(principal, kind, relation).access === 'visible';
}

/** Whether a query by this field searches only among the people the purpose's case opens. */
export function queryNarrowedToCase(principal: Principal, kind: PersonalKind): boolean {
  return !IDENTITY.has(kind) && purposeRule(principal)?.opens === 'case';
}

/**
 * Masks a value the caller may see only in part, keeping nothing the caller is denied. A national
 * id (căn cước) is province (3 digits), century and gender (1), birth year (2), then a 6-digit
 * random serial: only the serial's last 4 digits are kept, `048012345612` → `********5612`.
 * Any other value is one fixed mask: not even its length is told.
 */
export function mask(kind: PersonalKind, value: string): string {
  if (kind === 'NATIONAL_ID' && /^\d{12}$/.test(value)) return `********${value.slice(-4)}`;
  return '********';
}

// ---------------------------------------------------------------------------------------------
// Row scopes, applied in SQL
// ---------------------------------------------------------------------------------------------

/** `all`: no restriction; `none`: nothing at all; otherwise the restriction named. */
export type Scope<T> = { kind: 'all' } | { kind: 'none' } | ({ kind: 'some' } & T);

const ALL = { kind: 'all' } as const;
const NONE = { kind: 'none' } as const;

/**
 * Dossier statistics below admin: small-cell protection. A group counting fewer than k dossiers
 * (k = 5 by default, STATS_MIN_CELL_SIZE) is suppressed, and so is a second cell of its
 * dimension when one alone would follow from the totals (complementary suppression); filter time
 * bounds are whole days in Da Nang's time zone (a bound at another time is BAD_USER_INPUT), so that
 * no window isolates one dossier by its submission time. Admins see every figure.
 */
let minimumCellSize = 5;

export function setMinimumCellSize(k: number): void {
  minimumCellSize = k;
}

export function statisticsProtection(p: Principal): { minimumCell: number; wholeDays: true } | null {
  return p.role === 'admin' ? null : { minimumCell: minimumCellSize, wholeDays: true };
}

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
