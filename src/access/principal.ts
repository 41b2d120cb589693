import type { Purpose, Role } from './roles.js';

/** The caller of one request, as established from the token and the purpose headers. */
export interface Principal {
  /** The token's `sub`; "anonymous" for public callers. */
  subject: string;
  role: Role;
  /** The officer's agency code (e.g. "UBND-HC"). */
  agency: string | null;
  /** The citizen's 12-digit national id, for role citizen. */
  citizenNationalId: string | null;
  /** The calling application (`azp` or `client_id` claim). */
  clientApp: string | null;
  purpose: Purpose | null;
  caseReference: string | null;
}

export const PUBLIC_PRINCIPAL: Principal = Object.freeze({
  subject: 'anonymous',
  role: 'public',
  agency: null,
  citizenNationalId: null,
  clientApp: null,
  purpose: null,
  caseReference: null,
});
