import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DEV_SECRET, type AuthConfig } from '../config.js';
import type { Principal } from '../access/principal.js';
import { roleCarries, tokenOf } from '../access/claims.js';
import { isRole, type Role } from '../access/vocabulary.js';

/** A token that must be refused: the HTTP answer is 401 UNAUTHENTICATED, never a public fall-back. */
export class TokenError extends Error {}

/** Asymmetric algorithms an identity provider may sign with; `none` and HS* are never taken from it. */
const PROVIDER_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const DEV_ALGORITHMS = ['HS256'];
const CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenClaims extends JWTPayload {
  role?: unknown;
  agency?: unknown;
  citizen_id?: unknown;
  azp?: unknown;
  client_id?: unknown;
}

export type TokenVerifier = (token: string) => Promise<Omit<Principal, 'purpose' | 'caseReference'>>;

export function createTokenVerifier(auth: AuthConfig): TokenVerifier {
  let key: JWTVerifyGetKey | Uint8Array;
  let algorithms: string[];
  if (auth.jwksUrl) {
    // jose caches the key set and refetches it when a token names an unknown key id.
    key = createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
    algorithms = PROVIDER_ALGORITHMS;
  } else if (auth.devSecret) {
    key = new TextEncoder().encode(auth.devSecret);
    algorithms = DEV_ALGORITHMS;
  } else {
    throw new Error('No token keys: set AUTH_JWKS_URL');
  }

  const verify: TokenVerifier = async (token) => {
    let payload: TokenClaims;
    try {
      ({ payload } = await jwtVerify<TokenClaims>(token, key as Uint8Array, {
        algorithms,
        issuer: auth.issuer,
        audience: auth.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new TokenError(describe(error));
    }
    return principalFromClaims(payload);
  };
  return cachedVerifier(verify, VERIFIED_TOKEN_CACHE_MS);
}

/** How long a verified token is answered from the process's cache at most (never past its exp). */
export const VERIFIED_TOKEN_CACHE_MS = 60_000;
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Verified tokens, by their whole text, for at most `ttlMs` and never past their `exp` (plus the
 * clock tolerance jose allows): a caller sends the same token with every request, and its
 * signature check and claim parsing were a tenth of a small request's CPU. Only successes are
 * kept (a refused token is verified again each time, with its own message); once an entry is
 * out of date the token is verified in full again, which refuses it in jose's words. A key
 * withdrawn from the identity provider's set stops its tokens within `ttlMs` of the gateway
 * seeing the new set (jose's own cache of the set already holds keys up to 10 minutes).
 */
export function cachedVerifier(verify: TokenVerifier, ttlMs: number, now: () => number = Date.now): TokenVerifier {
  if (ttlMs <= 0) return verify;
  const cache = new Map<string, { principal: Awaited<ReturnType<TokenVerifier>>; until: number }>();
  return async (token) => {
    const hit = cache.get(token);
    if (hit) {
      if (now() < hit.until) return hit.principal;
      cache.delete(token);
    }
    const principal = Object.freeze(await verify(token));
    const exp = expOf(token);
    if (exp !== undefined) {
      // Oldest first out: a Map iterates in insertion order.
      if (cache.size >= VERIFIED_TOKEN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(token, { principal, until: Math.min(now() + ttlMs, exp * 1000) });
    }
    return principal;
  };
}

/** The exp claim of a token that verified (its payload is then well-formed JSON); undefined if not a number. */
function expOf(token: string): number | undefined {
  try {
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token was signed with an unknown key';
  return 'The token is not valid';
}

/**
 * An identifier claim as the access log will record it: a string of 1 to 255 characters, not
 * blank, without control characters. Anything else (a number, "", "  ") names no one.
 */
function identifier(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return typeof value === 'string' && value.length <= 255 && value.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(value);
}

function principalFromClaims(claims: TokenClaims): Omit<Principal, 'purpose' | 'caseReference'> {
  const role = claims.role;
  if (!isRole(role) || role === 'public') throw new TokenError('The token has no valid role claim');
  if (!identifier(claims.sub)) throw new TokenError("The token's sub claim must be a non-empty string");
  // A present agency claim must name an agency; a malformed one is refused, not read as "none".
  if (claims.agency !== undefined && !identifier(claims.agency)) throw new TokenError("The token's agency claim must be a non-empty string");
  const agency = identifier(claims.agency) ? claims.agency : null;
  const citizen = typeof claims.citizen_id === 'string' && /^\d{12}$/.test(claims.citizen_id) ? claims.citizen_id : null;
  // The claims each role must carry (src/access/claims.ts); the others are ignored for it.
  if (roleCarries(role, 'agency') && !agency) throw new TokenError(`${tokenOf(role)} needs an agency claim`);
  if (roleCarries(role, 'citizen') && !citizen) throw new TokenError(`${tokenOf(role)} needs a 12-digit citizen_id claim`);
  const client = typeof claims.azp === 'string' ? claims.azp : typeof claims.client_id === 'string' ? claims.client_id : null;
  // The client app is logged like the subject: a blank one or one with control characters names no app.
  if (client !== null && !identifier(client)) throw new TokenError("The token's azp (client_id) claim must be a non-empty string");
  return {
    subject: claims.sub,
    role,
    agency: roleCarries(role, 'agency') ? agency : null,
    citizenNationalId: roleCarries(role, 'citizen') ? citizen : null,
    clientApp: client,
  };
}

/** A start refused because the public development key would take tokens from the network. */
export class DevelopmentKeyOnNetworkError extends Error {}

/** Loopback names and addresses: only this machine can reach a gateway listening there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Outside production, tokens are verified with the development key, which is in this
 * repository: anyone can mint an admin token. Such a gateway listens on loopback only, unless
 * told explicitly (ALLOW_DEV_TOKENS_ON_NETWORK=true) or given its own keys (a JWKS, or an
 * AUTH_DEV_SECRET of its own).
 */
export function refuseDevKeyOnNetwork(auth: AuthConfig, host: string): void {
  if (auth.jwksUrl || auth.devSecret !== DEV_SECRET || auth.allowDevTokensOnNetwork || isLoopbackHost(host)) return;
  throw new DevelopmentKeyOnNetworkError(
    `Refusing to listen on ${host}: it takes tokens signed with the public development key; listen on 127.0.0.1, set AUTH_JWKS_URL, or set ALLOW_DEV_TOKENS_ON_NETWORK=true`,
  );
}

export interface DevTokenRequest {
  role: Exclude<Role, 'public'>;
  subject?: string;
  agency?: string;
  citizenId?: string;
  clientApp?: string;
  /** Lifetime, e.g. "8h" (jose's time span syntax). */
  expiresIn?: string;
}

/** Signs a development token with the development key (refused where there is none: production). */
export async function mintDevToken(auth: AuthConfig, request: DevTokenRequest): Promise<string> {
  if (!auth.devSecret) throw new Error('No development key: tokens cannot be minted in production mode');
  const claims: Record<string, string> = { role: request.role };
  if (request.agency) claims.agency = request.agency;
  if (request.citizenId) claims.citizen_id = request.citizenId;
  if (request.clientApp) claims.azp = request.clientApp;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject ?? `dev-${request.role}${request.agency ? `-${request.agency.toLowerCase()}` : ''}`)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(auth.devSecret));
}
