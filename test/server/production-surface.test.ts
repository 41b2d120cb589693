/**
 * The production surface (issue 13): /metrics behind a bearer token, a clear coded error for
 * mutations and subscriptions, BAD_USER_INPUT for strings PostgreSQL cannot take, a request id
 * in every INTERNAL_SERVER_ERROR, tokens whose sub and agency name someone (L8, production with
 * a real JWKS), and no public development key listening on the network.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevelopmentKeyOnNetworkError, isLoopbackHost, refuseDevKeyOnNetwork } from '../../src/auth/tokens.js';
import { ConfigError, DEV_SECRET, loadConfig, type AuthConfig } from '../../src/config.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';

const run = promisify(execFile);

const METRICS_TOKEN = 'metrics-scraper-token-0123456789-abcdefghijklmnop';
const HASHES = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
const hashOf = (operation: string) => Object.keys(HASHES).find((hash) => HASHES[hash]!.startsWith(`query ${operation}(`))!;
const byHash = (operation: string, variables: Record<string, unknown>) => ({
  operationName: operation,
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(operation) } },
});

let databases: SeededDatabases;
let idp: IdentityProvider;
let production: RunningGateway;
let productionWithoutMetrics: RunningGateway;
let development: RunningGateway;
/** What the development gateway logged, one JSON object per line. */
const logLines: Array<{ msg?: string; requestId?: string }> = [];

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const base = (gateway: RunningGateway) => gateway.url.replace(/\/graphql$/, '');

/** An officer's token from the local identity provider, with these claims on top. */
const providerToken = (claims: Record<string, unknown>) => idp.token({ sub: 'officer-7', role: 'officer', agency: 'UBND-HC', ...claims });

beforeAll(async () => {
  idp = await startIdentityProvider();

  databases = await seededDatabases();
  const productionEnv = {
    ...databases.env,
    NODE_ENV: 'production',
    ...idp.env,
    CURSOR_SECRET: 'production-surface-test-cursor-secret-0123456789',
  };
  const shared = { port: 0, connections: databases.connections };
  production = await startGateway(loadConfig({ ...productionEnv, METRICS_TOKEN }), shared);
  productionWithoutMetrics = await startGateway(loadConfig(productionEnv), shared);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) });
  development = await startGateway(loadConfig(databases.env), { ...shared, logger });
});

afterAll(async () => {
  await production?.close();
  await productionWithoutMetrics?.close();
  await development?.close();
  await databases?.close();
  await idp?.close();
});

describe('/metrics', () => {
  it('in production: 401 without the bearer token or with a wrong one, the metrics with it', async () => {
    const url = `${base(production)}/metrics`;
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
      const response = await fetch(url, { headers: authorization ? { authorization } : {} });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await response.text();
      expect(body).not.toMatch(/gateway_/);
      expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const served = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(served.status).toBe(200);
    expect(await served.text()).toMatch(/^# TYPE gateway_requests_total counter$/m);
  });

  it('in production without METRICS_TOKEN: not served at all', async () => {
    const response = await fetch(`${base(productionWithoutMetrics)}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/gateway_/);
  });

  it('in development without a token: open, as before', async () => {
    const response = await fetch(`${base(development)}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# TYPE gateway_requests_total counter$/m);
  });

  it('a METRICS_TOKEN too short to be a secret is a configuration error', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'x'.repeat(40) })).not.toThrow();
  });
});

describe('operations other than queries', () => {
  it.each([
    ['mutation', 'mutation { __typename }'],
    // A valid subscription (one root field, no introspection), refused because it came over HTTP.
    ['subscription', 'subscription Watch { observationAdded { __typename } }'],
    ['mutation chosen among operations', 'query Q { __typename } mutation M { __typename }'],
  ])('a %s: 400 BAD_USER_INPUT "queries only", nothing logged as unexpected', async (_name, query) => {
    const before = logLines.length;
    const operationName = query.includes('mutation M') ? 'M' : undefined;
    const answer = await post(development.url, { query, operationName });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors![0]!.message).toMatch(/^This gateway serves queries only; (mutation|subscription) operations are not accepted$/);
    expect(answer.body.data).toBeUndefined();
    expect(logLines.slice(before).filter((line) => line.msg === 'unexpected error')).toEqual([]);
  });

  it('the query of the same document still runs', async () => {
    const answer = await post(development.url, { query: 'query Q { __typename } mutation M { __typename }', operationName: 'Q' });
    expect(answer.body).toEqual({ data: { __typename: 'Query' }, extensions: expect.any(Object) });
  });
});

describe('strings PostgreSQL cannot take', () => {
  const SEARCH = 'query($s: String) { datasets(filter: { search: $s }) { totalCount } }';
  it.each([
    ['a NUL byte', 'giao\u0000thong'],
    ['a lone high surrogate', 'giao\ud800thong'],
    ['a lone low surrogate', '\udc00'],
  ])('%s in a search variable: 400 BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async (_name, search) => {
    const answer = await post(development.url, { query: SEARCH, variables: { s: search } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'A string contains a NUL character or an invalid UTF-16 sequence']]);
  });

  it('a NUL escape inline in the document, and a NUL inside an input object variable', async () => {
    const inline = await post(development.url, { query: '{ datasets(filter: { search: "a\\u0000b" }) { totalCount } }' });
    expect(inline.status).toBe(400);
    expect(inline.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const nested = await post(development.url, { query: 'query($f: DatasetFilter) { datasets(filter: $f) { totalCount } }', variables: { f: { search: 'x\u0000' } } });
    expect(nested.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('in production, through a trusted document: BAD_USER_INPUT too', async () => {
    const answer = await post(production.url, byHash('DatasetSearch', { search: 'giao\u0000thong' }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('well-formed text (Vietnamese, an emoji: a surrogate pair) is searched for', async () => {
    const answer = await post(development.url, { query: SEARCH, variables: { s: 'Đà Nẵng 🏙' } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('INTERNAL_SERVER_ERROR carries its request id', () => {
  it('the X-Request-Id sent, or the one given (in the X-Request-Id response header), in development and in production', async () => {
    const db = databases.connections.sources.opendata.root;
    await sql`alter table opendata.datasets rename to datasets_away`.execute(db);
    const answers: Array<[Answer, string | undefined]> = [];
    try {
      answers.push([await post(development.url, { query: '{ datasets(first: 1) { totalCount } }' }, { 'x-request-id': 'surface-dev-1' }), 'surface-dev-1']);
      answers.push([await post(production.url, byHash('DatasetSearch', { search: 'giao thong' }), { 'x-request-id': 'surface-prod-1' }), 'surface-prod-1']);
      answers.push([await post(production.url, byHash('DatasetSearch', { search: 'giao thong' })), undefined]);
    } finally {
      await sql`alter table opendata.datasets_away rename to datasets`.execute(db);
    }
    for (const [answer, sent] of answers) {
      const given = answer.headers.get('x-request-id');
      expect(given).toBeTruthy();
      if (sent) expect(given).toBe(sent);
      else expect(given).toMatch(/^[0-9a-f-]{36}$/);
      const internal = answer.body.errors!.filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
      expect(internal.length).toBeGreaterThan(0);
      for (const error of internal) expect(error.extensions!.requestId).toBe(given);
    }
    // The server log line of the cause names the same request.
    expect(logLines.some((line) => line.msg === 'unexpected error' && line.requestId === 'surface-dev-1')).toBe(true);
  });
});

describe('L8: tokens from the identity provider (production)', () => {
  const status = async (token: string) => (await post(production.url, byHash('DossierStatus', { code: 'none' }), { authorization: `Bearer ${token}` })).status;

  it('a token with every claim right is accepted', async () => {
    expect(await status(await providerToken({}))).toBe(200);
  });

  it.each([
    ['an empty sub', { sub: '' }],
    ['a numeric sub', { sub: 42 }],
    ['a blank sub', { sub: ' ' }],
    ['an empty agency', { agency: '' }],
    ['a numeric agency of an analyst', { role: 'analyst', agency: 3 }],
  ])('%s: 401 UNAUTHENTICATED', async (_name, claims) => {
    const answer = await post(production.url, byHash('DossierStatus', { code: 'none' }), { authorization: `Bearer ${await providerToken(claims)}` });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(answer.body.data).toBeUndefined();
  });
});

describe('the public development key stays off the network', () => {
  const devAuth: AuthConfig = loadConfig({}).auth;

  it('loopback names and addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '', '10.0.0.5', 'gateway.danang.example', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refused on a network address with the public key; allowed on loopback, with its own keys, or when told so', () => {
    expect(devAuth.devSecret).toBe(DEV_SECRET);
    expect(() => refuseDevKeyOnNetwork(devAuth, '0.0.0.0')).toThrow(DevelopmentKeyOnNetworkError);
    expect(() => refuseDevKeyOnNetwork(devAuth, '127.0.0.1')).not.toThrow();
    expect(() => refuseDevKeyOnNetwork(loadConfig({ ALLOW_DEV_TOKENS_ON_NETWORK: 'true' }).auth, '0.0.0.0')).not.toThrow();
    expect(() => refuseDevKeyOnNetwork(loadConfig({ AUTH_DEV_SECRET: 'an-own-development-secret-of-32-characters' }).auth, '0.0.0.0')).not.toThrow();
    expect(() => refuseDevKeyOnNetwork(loadConfig({ AUTH_JWKS_URL: 'https://id.example/jwks' }).auth, '0.0.0.0')).not.toThrow();
    expect(() => loadConfig({ ALLOW_DEV_TOKENS_ON_NETWORK: 'yes' })).toThrow(ConfigError);
  });

  it('startGateway refuses 0.0.0.0 before opening anything, and listens there when told so explicitly', async () => {
    const shared = { port: 0, connections: databases.connections, host: '0.0.0.0' };
    await expect(startGateway(loadConfig(databases.env), shared)).rejects.toThrow(/^Refusing to listen on 0\.0\.0\.0: it takes tokens signed with the public development key/);
    const allowed = await startGateway(loadConfig({ ...databases.env, ALLOW_DEV_TOKENS_ON_NETWORK: 'true' }), shared);
    try {
      expect((await post(allowed.url.replace('0.0.0.0', '127.0.0.1'), { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
    } finally {
      await allowed.close();
    }
  });

  it('npm start with HOST=0.0.0.0 exits with one clear line', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AUTH_|NODE_ENV$|ALLOW_DEV|HOST$|VITEST)/.test(name)));
    const failure = await run('npx', ['tsx', 'src/cli/start.ts'], { env: { ...env, HOST: '0.0.0.0', DATA_DIR: 'memory://', PORT: '0' }, timeout: 120_000 }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure, 'the start must fail').not.toBeNull();
    expect(failure!.code).toBe(1);
    const lines = failure!.stderr!.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Refusing to listen on 0\.0\.0\.0: .*ALLOW_DEV_TOKENS_ON_NETWORK=true$/);
  });
});
