/**
 * The words of the access policy, each written once: who calls (roles), why (purposes), what of a
 * person is read (personal kinds), whose data it is (subject types) and what became of a read
 * (access outcomes). Everything else (the rules, the audit module's tables and GraphQL enums,
 * the token checks) is built from these arrays.
 */

/** Who a caller is, from the token; `public` is the caller with no token. */
export const ROLES = ['public', 'citizen', 'officer', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Why personal data is read, declared by the caller (`X-Purpose`), with what each one means. A
 * fixed vocabulary, so that auditors can filter on it; what each purpose opens, and which one
 * needs a case reference (`X-Case-Reference`), is in purposes.ts.
 */
export const PURPOSES = {
  DOSSIER_PROCESSING: 'Handling an administrative dossier (give its code as the case reference)',
  CITIZEN_REQUEST: "Answering the citizen's own request or complaint",
  LEGAL_OBLIGATION: 'An inspection, court order or other duty set by law',
  SECURITY_INVESTIGATION: 'Investigating a security incident',
  SELF_SERVICE: 'A citizen reading their own data',
} as const;
export type Purpose = keyof typeof PURPOSES;
/** The purposes, in the order above. */
export const PURPOSE_NAMES = Object.keys(PURPOSES) as readonly Purpose[];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && Object.hasOwn(PURPOSES, value);
}

/**
 * What of a person a field holds (or a filter, ordering or look-up reveals). Every personal field
 * of the schema declares one of these (`@Personal(kind)`); the field rules decide per kind.
 */
export const PERSONAL_KINDS = ['NAME', 'WARD', 'NATIONAL_ID', 'BIRTH_DATE', 'GENDER', 'PHONE', 'EMAIL', 'ADDRESS', 'HOUSEHOLD'] as const;
export type PersonalKind = (typeof PERSONAL_KINDS)[number];

export function isPersonalKind(value: unknown): value is PersonalKind {
  return typeof value === 'string' && (PERSONAL_KINDS as readonly string[]).includes(value);
}

/** Name and ward: who the person is and where they live, without the rest of their record. */
export const IDENTITY_KINDS = ['NAME', 'WARD'] as const satisfies readonly PersonalKind[];

/** How the policy tables name a kind. */
export const PERSONAL_KIND_LABELS: Record<PersonalKind, string> = {
  NAME: 'name',
  WARD: 'ward',
  NATIONAL_ID: 'national id',
  BIRTH_DATE: 'birth date',
  GENDER: 'gender',
  PHONE: 'phone',
  EMAIL: 'e-mail',
  ADDRESS: 'address',
  HOUSEHOLD: 'household',
};

/** Whose personal data an object holds. */
export const SUBJECT_TYPES = ['CITIZEN', 'HOUSEHOLD'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** Whom an access-log entry is about: a person, or (CRITERION) a value searched for, hashed. */
export const LOG_SUBJECT_TYPES = [...SUBJECT_TYPES, 'CRITERION'] as const;
export type LogSubjectType = (typeof LOG_SUBJECT_TYPES)[number];

/**
 * What became of an access, as the access log records it. GRANTED, MASKED, DENIED: a field read.
 * FOUND_BY: the person (or, for a CRITERION entry, a searched value) was found by the fields
 * listed, used as look-up keys, filters, orderings or searches. COUNTED_BY: a count was taken
 * over those fields.
 */
export const ACCESS_OUTCOMES = ['GRANTED', 'MASKED', 'DENIED', 'FOUND_BY', 'COUNTED_BY'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/** The outcomes of a field read. */
export const READ_OUTCOMES = ['GRANTED', 'MASKED', 'DENIED'] as const satisfies readonly AccessOutcome[];
export type ReadOutcome = (typeof READ_OUTCOMES)[number];

/** The outcomes of a value searched for (a CRITERION entry). */
export const CRITERION_OUTCOMES = ['FOUND_BY', 'COUNTED_BY', 'DENIED'] as const satisfies readonly AccessOutcome[];
export type CriterionOutcome = (typeof CRITERION_OUTCOMES)[number];
