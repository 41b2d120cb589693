/** Who a caller is, from the token; `public` is the caller with no token. */
export const ROLES = ['public', 'citizen', 'officer', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Why personal data is read, declared by the caller (`X-Purpose`). A fixed vocabulary, so that
 * auditors can filter on it; DOSSIER_PROCESSING wants a case reference (`X-Case-Reference`).
 */
export const PURPOSES = {
  DOSSIER_PROCESSING: 'Handling an administrative dossier (give its code as the case reference)',
  CITIZEN_REQUEST: "Answering the citizen's own request or complaint",
  LEGAL_OBLIGATION: 'An inspection, court order or other duty set by law',
  SECURITY_INVESTIGATION: 'Investigating a security incident',
  SELF_SERVICE: 'A citizen reading their own data',
} as const;
export type Purpose = keyof typeof PURPOSES;

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && Object.hasOwn(PURPOSES, value);
}

export const PURPOSES_NEEDING_CASE: readonly Purpose[] = ['DOSSIER_PROCESSING'];
