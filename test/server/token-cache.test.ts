import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { cachedVerifier, createTokenVerifier, TokenError, type TokenVerifier } from '../../src/auth/tokens.js';

const config = loadConfig({});
const secret = new TextEncoder().encode(config.auth.devSecret!);

async function token(claims: Record<string, unknown>, exp: number): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('t-officer').setIssuer(config.auth.issuer).setAudience(config.auth.audience).setExpirationTime(exp).sign(secret);
}

/** A verifier that counts its calls and answers from a table (a token absent from it is refused). */
function counting(valid: Map<string, Awaited<ReturnType<TokenVerifier>>>) {
  const calls: string[] = [];
  const verify: TokenVerifier = async (t) => {
    calls.push(t);
    const principal = valid.get(t);
    if (!principal) throw new TokenError('The token is not valid');
    return { ...principal };
  };
  return { calls, verify };
}

const principal = { subject: 't-officer', role: 'officer' as const, agency: 'STNMT', citizenNationalId: null, clientApp: null };

describe('verified tokens cached by the process', () => {
  it('verify a repeated token once within the window, and again after it', async () => {
    let clock = 1_000_000_000_000;
    const t = await token({ role: 'officer', agency: 'STNMT' }, Math.floor(clock / 1000) + 3600);
    const { calls, verify } = counting(new Map([[t, principal]]));
    const cached = cachedVerifier(verify, 60_000, () => clock);
    expect(await cached(t)).toEqual(principal);
    expect(await cached(t)).toEqual(principal);
    expect(calls).toHaveLength(1);
    clock += 60_000;
    expect(await cached(t)).toEqual(principal);
    expect(calls).toHaveLength(2);
  });

  it('never answer past the token’s exp: it is verified again (and refused by the verifier)', async () => {
    let clock = 1_000_000_000_000;
    const exp = Math.floor(clock / 1000) + 10;
    const t = await token({ role: 'officer', agency: 'STNMT' }, exp);
    const valid = new Map([[t, principal]]);
    const { calls, verify } = counting(valid);
    const cached = cachedVerifier(verify, 60_000, () => clock);
    await cached(t);
    clock = exp * 1000;
    valid.delete(t);
    await expect(cached(t)).rejects.toThrow(TokenError);
    expect(calls).toHaveLength(2);
  });

  it('keep no refusal: a refused token is verified on every use', async () => {
    const { calls, verify } = counting(new Map());
    const cached = cachedVerifier(verify, 60_000);
    await expect(cached('a.b.c')).rejects.toThrow(TokenError);
    await expect(cached('a.b.c')).rejects.toThrow(TokenError);
    expect(calls).toHaveLength(2);
  });

  it("the gateway's verifier still refuses an expired token with jose's message, after accepting it before", async () => {
    const verify = createTokenVerifier(config.auth);
    const fresh = await token({ role: 'officer', agency: 'STNMT' }, Math.floor(Date.now() / 1000) + 3600);
    expect((await verify(fresh)).role).toBe('officer');
    expect((await verify(fresh)).agency).toBe('STNMT');
    const expired = await token({ role: 'officer', agency: 'STNMT' }, Math.floor(Date.now() / 1000) - 120);
    await expect(verify(expired)).rejects.toThrow('The token has expired');
    await expect(verify(expired)).rejects.toThrow('The token has expired');
  });
});
