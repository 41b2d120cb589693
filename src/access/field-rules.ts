import { purposeRule, type PurposeOf } from './purposes.js';
import { IDENTITY_KINDS, PERSONAL_KINDS, type PersonalKind, type Role, type SubjectType } from './vocabulary.js';

// ---------------------------------------------------------------------------------------------
// Relations: how the caller stands to the person whose field is read
// ---------------------------------------------------------------------------------------------

/** How the caller stands to the person whose field is read; computed by the guard, batched. */
export interface Relation {
  /** The person is the calling citizen (a household: the calling citizen's own). */
  isSelf: boolean;
  /** The person applied for a dossier handled by the calling officer's agency. */
  isApplicantOfOwnAgency: boolean;
  /**
   * The reference stands: with a purpose bound to a case, X-Case-Reference names a dossier the
   * caller may name (an officer: the own agency's). Always true (or absent) for other purposes.
   */
  caseStands?: boolean;
  /** The person is one the case opens (its applicant, or a business applicant's legal representative). */
  isCaseSubject?: boolean;
  /** The person is the legal representative of a business in the register (asked only when it decides). */
  representsBusiness?: boolean;
}

export type RelationName = 'self' | 'applicantOfOwnAgency' | 'caseSubject' | 'businessRepresentative';

export interface RelationRule {
  /** The subject types a caller can stand in this relation to. */
  subjects: readonly SubjectType[];
  /** How the policy tables say it, per subject type; a relation without one is told elsewhere (the purposes table). */
  label?: Partial<Record<SubjectType, string>>;
  /** Looked up only when it would turn a denial (a look-up most reads never need). */
  askedToDecide?: true;
  holds(relation: Relation, principal: PurposeOf): boolean;
}

export const RELATIONS: Record<RelationName, RelationRule> = {
  self: { subjects: ['CITIZEN', 'HOUSEHOLD'], label: { CITIZEN: 'self', HOUSEHOLD: 'own' }, holds: (r) => r.isSelf },
  // Officers know people through the dossiers their agency handles: applicants are citizens, so an
  // officer has no relation to a household record (officers get no household records).
  applicantOfOwnAgency: { subjects: ['CITIZEN'], label: { CITIZEN: "applicants of A's dossiers" }, holds: (r) => r.isApplicantOfOwnAgency },
  // The case's subject counts as the agency's applicant (a business applicant's representative),
  // under a purpose that opens the case, while the case stands.
  caseSubject: {
    subjects: ['CITIZEN'],
    holds: (r, p) => r.isCaseSubject === true && r.caseStands !== false && purposeRule(p)?.opens === 'case',
  },
  // One answer per fact: the name of a business's legal representative is public register data.
  businessRepresentative: { subjects: ['CITIZEN'], askedToDecide: true, holds: (r) => r.representsBusiness === true },
};

// ---------------------------------------------------------------------------------------------
// Field rules: role x personal kind x relation -> visible, masked, by purpose, or denied
// ---------------------------------------------------------------------------------------------

export interface FieldRule {
  /** The kinds the rule is about: 'identity' (name and ward), 'beyond identity', a list; every kind when absent. */
  kinds?: 'identity' | 'beyond identity' | readonly PersonalKind[];
  /** Whom it is about: a person in any of these relations to the caller; anyone when absent. */
  of?: readonly RelationName[];
  /** 'by purpose': what the declared purpose opens (purposes.ts). */
  then: 'visible' | 'masked' | 'by purpose' | { denied: string };
  /** Why, in the policy table. */
  note?: string;
}

/**
 * Rules for every role, before the role's own. A business's legal representative's full name is
 * printed in the business register, and a household business is most often named after its owner
 * ("Hộ kinh doanh <full name>"), public and searchable: so it is visible to every caller, on every
 * path to that person; their other fields stay guarded.
 */
export const EVERY_ROLE_FIELD_RULES: readonly FieldRule[] = [
  { kinds: ['NAME'], of: ['businessRepresentative'], then: 'visible', note: 'public register data' },
];

/** Per role, in order: the first rule whose kinds and relation fit decides. Each list ends with a rule for anyone. */
export const FIELD_RULES: Record<Role, readonly FieldRule[]> = {
  public: [{ then: { denied: 'Personal data is not public' } }],
  citizen: [{ of: ['self'], then: 'visible' }, { then: { denied: 'A citizen may read only their own data' } }],
  officer: [
    { kinds: 'identity', of: ['applicantOfOwnAgency', 'caseSubject'], then: 'visible' },
    { of: ['applicantOfOwnAgency', 'caseSubject'], then: 'by purpose' },
    { then: { denied: "An officer may read only applicants of the own agency's dossiers" } },
  ],
  analyst: [{ kinds: ['NATIONAL_ID'], then: 'masked' }, { then: { denied: 'Analysts see aggregates, not personal data' } }],
  auditor: [{ then: { denied: 'Auditors review the access log, not personal data' } }],
  admin: [{ kinds: 'identity', then: 'visible' }, { then: 'by purpose' }],
};

export type Decision = { access: 'visible' } | { access: 'masked' } | { access: 'denied'; reason: string };

const VISIBLE: Decision = { access: 'visible' };
const MASKED: Decision = { access: 'masked' };
const deny = (reason: string): Decision => ({ access: 'denied', reason });

export function isIdentity(kind: PersonalKind): boolean {
  return (IDENTITY_KINDS as readonly PersonalKind[]).includes(kind);
}

/** The kinds a rule is about. */
export function kindsOf(rule: Pick<FieldRule, 'kinds'>): readonly PersonalKind[] {
  if (rule.kinds === undefined) return PERSONAL_KINDS;
  if (rule.kinds === 'identity') return IDENTITY_KINDS;
  if (rule.kinds === 'beyond identity') return PERSONAL_KINDS.filter((k) => !isIdentity(k));
  return rule.kinds;
}

function fits(rule: FieldRule, principal: PurposeOf, kind: PersonalKind, relation: Relation): boolean {
  return kindsOf(rule).includes(kind) && (!rule.of || rule.of.some((name) => RELATIONS[name].holds(relation, principal)));
}

const CASE_DOES_NOT_STAND = 'X-Case-Reference does not name a dossier handled by your agency';
const NOT_CASE_SUBJECT = "DOSSIER_PROCESSING opens only the applicant of the dossier in X-Case-Reference (a business applicant's legal representative)";
const NEEDS_PURPOSE = 'Reading personal data needs a declared purpose: send the X-Purpose header (and X-Case-Reference where it applies)';

/** What a declared purpose lets through for a field beyond identity (officers and admins). */
function byPurpose(principal: PurposeOf, kind: PersonalKind, relation: Relation): Decision {
  const rule = purposeRule(principal);
  if (!rule) return deny(NEEDS_PURPOSE);
  if (rule.opens === 'nothing') return deny(`X-Purpose ${principal.purpose} opens no personal data for role ${principal.role}`);
  if (rule.reference !== 'none' && relation.caseStands === false) return deny(CASE_DOES_NOT_STAND);
  if (rule.opens === 'case' && relation.isCaseSubject === false) return deny(NOT_CASE_SUBJECT);
  if (rule.kinds && !rule.kinds.includes(kind)) {
    return deny(`X-Purpose ${principal.purpose} opens only ${rule.kinds.map((k) => k.toLowerCase()).join(' and ')} for role ${principal.role}`);
  }
  return VISIBLE;
}

/** The rules a caller's reads go through, in order. */
export function fieldRulesOf(role: Role): readonly FieldRule[] {
  return [...EVERY_ROLE_FIELD_RULES, ...FIELD_RULES[role]];
}

/** Decides one personal field of one person for the caller. */
export function decidePersonalField(principal: PurposeOf, kind: PersonalKind, relation: Relation): Decision {
  const rule = fieldRulesOf(principal.role).find((r) => fits(r, principal, kind, relation));
  if (!rule) return deny(`No rule lets role ${principal.role} read this field`);
  if (rule.then === 'visible') return VISIBLE;
  if (rule.then === 'masked') return MASKED;
  if (rule.then === 'by purpose') return byPurpose(principal, kind, relation);
  return deny(rule.then.denied);
}

/**
 * Whether a relation asked only to decide could turn this denial: the guard then looks it up and
 * decides again (a legal representative's name is public register data).
 */
export function relationsThatCouldGrant(role: Role, kind: PersonalKind, subject: SubjectType): RelationName[] {
  const names = new Set<RelationName>();
  for (const rule of fieldRulesOf(role)) {
    if (typeof rule.then === 'object' || !kindsOf(rule).includes(kind)) continue;
    for (const name of rule.of ?? []) if (RELATIONS[name].askedToDecide && RELATIONS[name].subjects.includes(subject)) names.add(name);
  }
  return [...names];
}

/**
 * Filtering, ordering or looking people up by a personal field reveals that field: allowed
 * only where the caller could read the field itself for every person the query searches (an
 * officer's scope is the own agency's applicants, a citizen's is themselves; under a purpose that
 * opens one case, the search runs only among the people it opens, see queryNarrowedToCase).
 */
export function mayQueryBy(principal: PurposeOf, kind: PersonalKind, caseStands = true): boolean {
  const relation: Relation = { isSelf: principal.role === 'citizen', isApplicantOfOwnAgency: principal.role === 'officer', caseStands, isCaseSubject: true };
  return decidePersonalField(principal, kind, relation).access === 'visible';
}

/** Whether a query by this field searches only among the people the purpose's case opens. */
export function queryNarrowedToCase(principal: PurposeOf, kind: PersonalKind): boolean {
  return !isIdentity(kind) && purposeRule(principal)?.opens === 'case';
}
