import { ROLES, type Role } from './vocabulary.js';

/**
 * What a token of each role must say about the caller, besides `sub` and `role`: an officer's
 * agency and a citizen's national id. The rules of the other roles need neither, and a token's
 * agency or citizen claim is ignored for a role that does not carry it.
 */
export type IdentityClaim = 'agency' | 'citizen';

export const ROLE_CLAIMS: Record<Role, readonly IdentityClaim[]> = {
  public: [],
  citizen: ['citizen'],
  officer: ['agency'],
  analyst: [],
  auditor: [],
  admin: [],
};

/** Whether the role's tokens carry (and must carry) the claim. */
export function roleCarries(role: Role, claim: IdentityClaim): boolean {
  return ROLE_CLAIMS[role].includes(claim);
}

/** The roles a token can name (public is the caller without one). */
export const TOKEN_ROLES = ROLES.filter((role): role is Exclude<Role, 'public'> => role !== 'public');

/** "An officer token", "A citizen token": how refusals name a role's token. */
export function tokenOf(role: Role): string {
  return `${/^[aeiou]/.test(role) ? 'An' : 'A'} ${role} token`;
}
