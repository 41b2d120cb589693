/**
 * The headers a test sends to act as someone: a development token for the role (none for
 * `public`), the purpose the request declares (`X-Purpose`) and, for DOSSIER_PROCESSING, the
 * dossier it names (`X-Case-Reference`).
 *
 *   await as('public')
 *   await as('citizen', { citizenId: '048…' })
 *   await as('officer', { agency: 'UBND-HC', purpose: 'DOSSIER_PROCESSING', caseReference: code })
 *   await as('admin', { purpose: 'LEGAL_OBLIGATION', auth: gw.databases.config.auth })
 *
 * `auth` is the gateway's token settings (issuer, audience, development key): give the test
 * gateway's (`gw.databases.config.auth`); without it, the development defaults, which a test
 * gateway keeps unless its settings change them. Anything else (X-Request-Id, a purpose outside
 * the vocabulary) goes in `headers`, added last.
 */
import type { Purpose, Role } from '../../src/access/roles.js';
import { mintDevToken, type DevTokenRequest } from '../../src/auth/tokens.js';
import { loadConfig, type AuthConfig } from '../../src/config.js';

export type CallerHeaders = Record<string, string>;

export interface Caller extends Omit<DevTokenRequest, 'role'> {
  /** X-Purpose. */
  purpose?: Purpose;
  /** X-Case-Reference: the dossier a DOSSIER_PROCESSING purpose names. */
  caseReference?: string;
  /** The gateway's token settings; the development defaults without. */
  auth?: AuthConfig;
  /** More headers, added last (they win). */
  headers?: CallerHeaders;
}

let developmentAuth: AuthConfig | undefined;

export async function as(role: Role, caller: Caller = {}): Promise<CallerHeaders> {
  const { purpose, caseReference, auth, headers, ...token } = caller;
  const out: CallerHeaders = {};
  if (role === 'public') {
    const claims = Object.entries(token).filter(([, value]) => value !== undefined);
    if (claims.length > 0) throw new Error(`A public caller has no token: ${claims.map(([name]) => name).join(', ')} cannot be set`);
  } else {
    out.authorization = `Bearer ${await mintDevToken(auth ?? (developmentAuth ??= loadConfig({}).auth), { ...token, role })}`;
  }
  if (purpose !== undefined) out['x-purpose'] = purpose;
  if (caseReference !== undefined) out['x-case-reference'] = caseReference;
  return { ...out, ...headers };
}
