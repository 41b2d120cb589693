/**
 * Authentication through HTTP: a bad, forged or expired token is refused with 401
 * UNAUTHENTICATED and never served as the public caller; purpose headers are checked; the
 * development token command mints tokens the server takes, and refuses in production.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SignJWT, type JWTPayload } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/config.js';
import { mintDevToken } from '../../src/auth/tokens.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const run = promisify(execFile);

const AGENCY = 'UBND-HC';
/** Public data (an agency) and personal data (a citizen), so that nothing at all may come back. */
const QUERY = `query($nid: String!) { agency(code: "${AGENCY}") { name } citizen(nationalId: $nid) { id fullName } dossiers { totalCount } }`;

let gw: TestGateway;
let auth: AuthConfig;
let existingNationalId: string;
let missingNationalId: string;
let dossiersOfAgency: number;
/** A dossier handled by AGENCY: a case reference that stands for its officers. */
let dossierOfAgency: string;

beforeAll(async () => {
  gw = await startTestGateway();
  auth = gw.databases.config.auth;
  const { population, services, reference } = gw.databases.connections.sources;
  const citizens = (await sql<{ national_id: string }>`select national_id from population.citizens order by id`.execute(population.root)).rows;
  existingNationalId = citizens[0]!.national_id;
  const taken = new Set(citizens.map((c) => c.national_id));
  missingNationalId = '048099000001';
  while (taken.has(missingNationalId)) missingNationalId = String(Number(missingNationalId) + 1).padStart(12, '0');
  const [agency] = (await sql<{ id: number }>`select id from reference.agencies where code = ${AGENCY}`.execute(reference.root)).rows;
  const [count] = (await sql<{ n: number }>`select count(*)::int as n from services.dossiers where agency_id = ${agency!.id}`.execute(services.root)).rows;
  dossiersOfAgency = count!.n;
  const [dossier] = (await sql<{ code: string }>`select code from services.dossiers where agency_id = ${agency!.id} order by id limit 1`.execute(services.root)).rows;
  dossierOfAgency = dossier!.code;
});
afterAll(async () => gw?.close());

const now = (): number => Math.floor(Date.now() / 1000);
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A complete, valid officer payload; cases remove or change claims. */
function payload(changes: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = { sub: 'test-officer', iss: auth.issuer, aud: auth.audience, iat: now(), exp: now() + 600, role: 'officer', agency: AGENCY };
  for (const [claim, value] of Object.entries(changes)) {
    if (value === undefined) delete base[claim];
    else base[claim] = value;
  }
  return base as JWTPayload;
}

async function sign(claims: JWTPayload, options: { secret?: string; alg?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secret ?? auth.devSecret));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Faults of the Authorization header, each as the headers to send. */
const FAULTS: Array<[string, () => Promise<Record<string, string>>]> = [
  ['a malformed header (Basic)', async () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
  ['a malformed header (Bearer without a token)', async () => ({ authorization: 'Bearer' })],
  ['a malformed header (two tokens)', async () => ({ authorization: `Bearer ${await sign(payload())} ${await sign(payload())}` })],
  ['an empty header', async () => ({ authorization: '' })],
  ['a token that is not a JWT', async () => bearer('not-a-jwt')],
  ['a JWT-shaped token that is garbage', async () => bearer('aaaa.bbbb.cccc')],
  ['a wrong signature (another secret)', async () => bearer(await sign(payload(), { secret: 'some-other-secret-of-at-least-thirty-two-bytes!!' }))],
  ['a tampered payload (role changed after signing)', async () => {
    const [header, , signature] = (await sign(payload())).split('.');
    return bearer(`${header}.${b64(payload({ role: 'admin', agency: undefined }))}.${signature}`);
  }],
  ['an unsigned token (alg: none)', async () => bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload({ role: 'admin', agency: undefined }))}.`)],
  ['another algorithm than HS256 (HS512 with the right key)', async () => bearer(await sign(payload(), { alg: 'HS512' }))],
  ['an expired token (beyond the 30 s tolerance)', async () => bearer(await sign(payload({ iat: now() - 3600, exp: now() - 90 })))],
  ['a token not valid yet (nbf beyond the tolerance)', async () => bearer(await sign(payload({ nbf: now() + 600 })))],
  ['a token without exp', async () => bearer(await sign(payload({ exp: undefined })))],
  ['a token without sub', async () => bearer(await sign(payload({ sub: undefined })))],
  ['a wrong issuer', async () => bearer(await sign(payload({ iss: 'https://evil.example.org' })))],
  ['a wrong audience', async () => bearer(await sign(payload({ aud: 'another-api' })))],
  ['no role', async () => bearer(await sign(payload({ role: undefined })))],
  ['an unknown role', async () => bearer(await sign(payload({ role: 'superuser' })))],
  ['the role public in a token', async () => bearer(await sign(payload({ role: 'public' })))],
  ['an officer without an agency claim', async () => bearer(await sign(payload({ agency: undefined })))],
  ['a citizen without a citizen_id', async () => bearer(await sign(payload({ role: 'citizen', agency: undefined })))],
  ['a citizen whose citizen_id is not 12 digits', async () => bearer(await sign(payload({ role: 'citizen', agency: undefined, citizen_id: '04809912345' })))],
  ['a citizen whose citizen_id is a number, not a string', async () => bearer(await sign(payload({ role: 'citizen', agency: undefined, citizen_id: 48099123456 })))],
  // The access log names the caller by sub: it must name someone (L8).
  ['an empty sub', async () => bearer(await sign(payload({ sub: '' })))],
  ['a blank sub', async () => bearer(await sign(payload({ sub: '   ' })))],
  ['a numeric sub', async () => bearer(await sign(payload({ sub: 12345 })))],
  ['a sub with a control character', async () => bearer(await sign(payload({ sub: 'officer\nadmin' })))],
  ['a sub of 256 characters', async () => bearer(await sign(payload({ sub: 'x'.repeat(256) })))],
  ['an empty agency', async () => bearer(await sign(payload({ agency: '' })))],
  ['a numeric agency', async () => bearer(await sign(payload({ agency: 7 })))],
  ['an analyst with a numeric agency', async () => bearer(await sign(payload({ role: 'analyst', agency: 7 })))],
  ['an admin with an empty agency', async () => bearer(await sign(payload({ role: 'admin', agency: '' })))],
  ['an azp with a NUL character', async () => bearer(await sign(payload({ azp: 'portal\u0000' })))],
];

describe('a faulty token is refused with 401, never served as public', () => {
  it.each(FAULTS)('%s', async (_name, headersOf) => {
    const headers = await headersOf();
    const existing = await gw.query(QUERY, { nid: existingNationalId }, headers);
    expect(existing.status).toBe(401);
    expect(existing.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(existing.data, 'no data at all, not even public').toBeUndefined();
    // The same answer whether or not the record asked for exists.
    const missing = await gw.query(QUERY, { nid: missingNationalId }, headers);
    expect(missing).toEqual(existing);
  });

  it('says how to authenticate (WWW-Authenticate: Bearer)', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
  });
});

describe('a valid token is accepted', () => {
  it('a development token: the officer sees their agency’s dossiers (without a purpose, the lookup by national id is refused)', async () => {
    const res = await gw.query<{ agency: { name: string }; citizen: null; dossiers: { totalCount: number } }>(QUERY, { nid: missingNationalId }, bearer(await mintDevToken(auth, { role: 'officer', agency: AGENCY })));
    expect(res.status).toBe(200);
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['citizen'], 'FORBIDDEN']]);
    expect(res.data!.citizen).toBeNull();
    expect(res.data!.agency.name).toBeTruthy();
    expect(res.data!.dossiers.totalCount).toBe(dossiersOfAgency);
  });

  it('a token crafted with every claim right', async () => {
    const res = await gw.query<{ dossiers: { totalCount: number } }>(QUERY, { nid: missingNationalId }, bearer(await sign(payload())));
    expect(res.status).toBe(200);
    expect(res.data!.dossiers.totalCount).toBe(dossiersOfAgency);
  });

  it('a token expired within the clock tolerance (30 s)', async () => {
    const res = await gw.query<{ dossiers: { totalCount: number } }>(QUERY, { nid: missingNationalId }, bearer(await sign(payload({ iat: now() - 600, exp: now() - 10 }))));
    expect(res.status).toBe(200);
    expect(res.data!.dossiers.totalCount).toBe(dossiersOfAgency);
  });

  it('a citizen token with a 12-digit citizen_id: the citizen is themselves', async () => {
    const token = await mintDevToken(auth, { role: 'citizen', citizenId: existingNationalId });
    const res = await gw.query<{ me: { nationalId: string } }>(`{ me { nationalId } }`, undefined, bearer(token));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ me: { nationalId: existingNationalId } });
  });

  it('no Authorization header at all: the public caller', async () => {
    const res = await gw.query<{ agency: { name: string }; citizen: null; dossiers: { totalCount: number } }>(QUERY, { nid: existingNationalId });
    expect(res.status).toBe(200);
    expect(res.data!.agency.name).toBeTruthy();
    expect(res.data!.citizen).toBeNull();
    expect(res.data!.dossiers.totalCount).toBe(0);
  });
});

describe('purpose headers', () => {
  let officer: Record<string, string>;
  beforeAll(async () => {
    officer = bearer(await mintDevToken(auth, { role: 'officer', agency: AGENCY }));
  });

  it.each([
    ['an X-Purpose outside the vocabulary', { 'x-purpose': 'CURIOSITY' }],
    ['an X-Purpose in lower case', { 'x-purpose': 'citizen_request' }],
    ['DOSSIER_PROCESSING without X-Case-Reference', { 'x-purpose': 'DOSSIER_PROCESSING' }],
    ['an X-Case-Reference with forbidden characters', { 'x-purpose': 'DOSSIER_PROCESSING', 'x-case-reference': "x'; drop table dossiers; --" }],
  ])('%s is refused with 400 BAD_USER_INPUT', async (_name, purpose) => {
    const res = await gw.query(QUERY, { nid: existingNationalId }, { ...officer, ...purpose });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.data).toBeUndefined();
  });

  it('a purpose from the vocabulary, with a case reference where needed, is accepted', async () => {
    const purposes: Array<Record<string, string>> = [{ 'x-purpose': 'CITIZEN_REQUEST' }, { 'x-purpose': 'DOSSIER_PROCESSING', 'x-case-reference': dossierOfAgency }];
    for (const purpose of purposes) {
      const res = await gw.query<{ agency: { name: string }; dossiers: { totalCount: number } }>(QUERY, { nid: missingNationalId }, { ...officer, ...purpose });
      expect(res.status).toBe(200);
      expect(res.data!.agency.name).toBeTruthy();
      expect(res.data!.dossiers.totalCount).toBe(dossiersOfAgency);
      // The headers are accepted; whether the purpose opens the look-up is the policy's field-level decision.
      for (const error of res.errors ?? []) expect([error.path, error.extensions?.code]).toEqual([['citizen'], 'FORBIDDEN']);
    }
  });

  it('a faulty token is refused as 401 even with a valid purpose', async () => {
    const res = await gw.query(QUERY, { nid: existingNationalId }, { ...bearer('aaaa.bbbb.cccc'), 'x-purpose': 'CITIZEN_REQUEST' });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the development token command (npm run token)', () => {
  // Only the variables a shell would pass; the command reads its configuration from them.
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUTH_') && name !== 'NODE_ENV'));
  const token = (env: Record<string, string | undefined>) =>
    run('npx', ['tsx', 'src/cli/token.ts', '--role', 'officer', '--agency', AGENCY], { env: { ...baseEnv, ...env }, cwd: process.cwd(), timeout: 60_000 });

  it('prints a token that the server accepts', async () => {
    const { stdout } = await token({ NODE_ENV: 'development' });
    const minted = stdout.trim();
    expect(minted).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const res = await gw.query<{ dossiers: { totalCount: number } }>(QUERY, { nid: missingNationalId }, bearer(minted));
    expect(res.status).toBe(200);
    expect(res.data!.dossiers.totalCount).toBe(dossiersOfAgency);
  });

  it('refuses with NODE_ENV=production (exits non-zero, prints no token)', async () => {
    const failure = await token({ NODE_ENV: 'production' }).then(
      () => null,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failure, 'the command must fail').not.toBeNull();
    expect(failure!.code).not.toBe(0);
    expect(failure!.stderr).toMatch(/production/i);
    expect(failure!.stdout ?? '').not.toMatch(/[\w-]+\.[\w-]+\.[\w-]+/);
  });
});
