import { PURPOSE_NAMES, type PersonalKind, type Purpose, type Role } from './vocabulary.js';

/** What the purpose rules read of a principal. */
export interface PurposeOf {
  role: Role;
  purpose: Purpose | null;
}

/**
 * What each declared purpose opens beyond identity (name and ward), for the roles purposes apply
 * to, and the reference it needs. The reference is X-Case-Reference; it is written to every
 * access-log entry of the request, whatever the purpose.
 */
export interface PurposeRule {
  /** 'case': only the person the dossier in X-Case-Reference names; 'scope': anyone the role may find; 'nothing'. */
  opens: 'case' | 'scope' | 'nothing';
  /** The personal kinds opened (beyond identity); every kind when absent. */
  kinds?: readonly PersonalKind[];
  /** What X-Case-Reference must name: a dossier the caller's agency handles, any dossier, or nothing. */
  reference: 'none' | 'ownAgencyDossier' | 'anyDossier';
  /** Why, in the policy table. */
  note?: string;
}

/** The roles a declared purpose opens anything for. */
export type PurposeRole = 'officer' | 'admin';
export const PURPOSE_ROLES: readonly PurposeRole[] = ['officer', 'admin'];

const CONTACT: readonly PersonalKind[] = ['PHONE', 'EMAIL'];

export const PURPOSE_RULES: Record<PurposeRole, Record<Purpose, PurposeRule>> = {
  officer: {
    DOSSIER_PROCESSING: { opens: 'case', reference: 'ownAgencyDossier' },
    CITIZEN_REQUEST: { opens: 'scope', kinds: CONTACT, reference: 'none', note: 'to answer them' },
    LEGAL_OBLIGATION: { opens: 'nothing', reference: 'none', note: 'served to the administration, not to a desk officer' },
    SECURITY_INVESTIGATION: { opens: 'nothing', reference: 'none', note: 'served to the administration, not to a desk officer' },
    SELF_SERVICE: { opens: 'nothing', reference: 'none', note: 'a citizen reading their own data' },
  },
  admin: {
    DOSSIER_PROCESSING: { opens: 'case', reference: 'anyDossier' },
    CITIZEN_REQUEST: { opens: 'scope', reference: 'none' },
    LEGAL_OBLIGATION: { opens: 'scope', reference: 'none' },
    SECURITY_INVESTIGATION: { opens: 'scope', reference: 'none' },
    SELF_SERVICE: { opens: 'nothing', reference: 'none', note: 'a citizen reading their own data' },
  },
};

/** Whom a case opens: the dossier's applicant; a business applies through its legal representative. */
export const CASE_OPENS = "the dossier's applicant (a business applicant: its legal representative)";

/** The rule of the caller's declared purpose; null without a purpose or for roles purposes do not apply to. */
export function purposeRule(p: PurposeOf): PurposeRule | null {
  if (!p.purpose || (p.role !== 'officer' && p.role !== 'admin')) return null;
  return PURPOSE_RULES[p.role][p.purpose];
}

/** Whether the caller's purpose binds to a dossier named by X-Case-Reference. */
export function needsCaseReference(p: PurposeOf): boolean {
  const reference = purposeRule(p)?.reference;
  return reference === 'ownAgencyDossier' || reference === 'anyDossier';
}

/** The purposes that need an X-Case-Reference for some role (the request is refused without one). */
export const PURPOSES_NEEDING_CASE: readonly Purpose[] = PURPOSE_NAMES.filter((purpose) =>
  PURPOSE_ROLES.some((role) => PURPOSE_RULES[role][purpose].reference !== 'none'),
);
