import { needsCaseReference, purposeRule } from './purposes.js';
import type { Purpose, Role, SubjectType } from './vocabulary.js';

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

/** The case X-Case-Reference names, as the rules need it. */
export interface DeclaredCase {
  /** The reference names a dossier the caller's purpose allows (an officer: the own agency's; an admin: any). */
  stands: boolean;
  /** Citizen row ids the case opens: its applicant, or a business applicant's legal representative. */
  citizenIds: readonly number[];
}

/**
 * The principal with what the rules need to know in row ids, resolved once per request: the
 * officer's agency, the calling citizen and their household, and the declared case.
 */
export interface ResolvedPrincipal extends Principal {
  /** The officer's agency row id; null for other roles, and for a code that names no agency (which then sees nothing of an agency's). */
  agencyId: number | null;
  /** The calling citizen's row id; null for other roles, and for a national id not in the register. */
  citizenId: number | null;
  /** The calling citizen's household row id. */
  householdId: number | null;
  /** The case of a purpose bound to one (DOSSIER_PROCESSING); undefined when the purpose binds to none. */
  declaredCase: DeclaredCase | undefined;
}

/** The rows of a subject type a declared case opens: the citizens it names; never a household record. */
export function openedByCase(declared: DeclaredCase | undefined, subject: SubjectType): readonly number[] {
  return subject === 'CITIZEN' ? (declared?.citizenIds ?? []) : [];
}

/** A dossier as the declared case needs it. */
export interface CaseDossier {
  agencyId: number;
  applicant: { kind: 'CITIZEN' | 'BUSINESS'; id: number };
}

/** How the context finds the row ids behind the principal's codes (batched loaders, one request). */
export interface PrincipalLookups {
  agencyIdByCode(code: string): Promise<number | null>;
  citizenByNationalId(nationalId: string): Promise<{ id: number; householdId: number } | null>;
  dossierByCode(code: string): Promise<CaseDossier | null>;
  /** The citizen who legally represents a business. */
  legalRepresentativeOf(businessId: number): Promise<number | null>;
}

const NO_CASE: DeclaredCase = Object.freeze({ stands: false, citizenIds: [] });

/**
 * Resolves the principal: only what its role and purpose need is looked up (an officer's agency, a
 * citizen's own record, the dossier of a purpose bound to a case), the independent look-ups together.
 */
export async function resolvePrincipal(principal: Principal, lookups: PrincipalLookups): Promise<ResolvedPrincipal> {
  const [agencyId, citizen, dossier] = await Promise.all([
    principal.role === 'officer' && principal.agency ? lookups.agencyIdByCode(principal.agency) : null,
    principal.role === 'citizen' && principal.citizenNationalId ? lookups.citizenByNationalId(principal.citizenNationalId) : null,
    needsCaseReference(principal) && principal.caseReference ? lookups.dossierByCode(principal.caseReference) : null,
  ]);
  return {
    ...principal,
    agencyId,
    citizenId: citizen?.id ?? null,
    householdId: citizen?.householdId ?? null,
    declaredCase: needsCaseReference(principal) ? await caseOf(principal, agencyId, dossier, lookups) : undefined,
  };
}

async function caseOf(principal: Principal, agencyId: number | null, dossier: CaseDossier | null, lookups: PrincipalLookups): Promise<DeclaredCase> {
  if (!dossier) return NO_CASE;
  if (purposeRule(principal)?.reference === 'ownAgencyDossier' && (agencyId === null || dossier.agencyId !== agencyId)) return NO_CASE;
  // The case opens its applicant; a business applies through its legal representative (CASE_OPENS).
  if (dossier.applicant.kind === 'CITIZEN') return { stands: true, citizenIds: [dossier.applicant.id] };
  const representative = await lookups.legalRepresentativeOf(dossier.applicant.id);
  return { stands: true, citizenIds: representative === null ? [] : [representative] };
}
