import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { auditServer, type AuditResult } from 'graphql-http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/auth/authenticate.js';
import { mintDevToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { httpErrorHandler } from '../../src/server/http-errors.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../support/access-log-key.js';

/**
 * The GraphQL-over-HTTP conformance audit (graphql-http's auditServer) against the live server in
 * development mode. In production mode only the documents of the trusted-documents manifest run,
 * so the audit's own documents ({ __typename }) are refused there by design.
 *
 * The audit sends only requests that reach Apollo; the second part sends, with `Accept:
 * application/graphql-response+json`, the requests that the gateway answers itself (token
 * faults, body and document limits, malformed JSON, the rate limit, an unexpected error) and
 * those the trusted documents refuse, and checks each one's status, media type and body.
 */

let gw: TestGateway;
let results: AuditResult[];

const describeResult = (r: AuditResult) => `${r.id} ${r.name}${r.status === 'ok' ? '' : `: ${r.reason}`}`;

beforeAll(async () => {
  gw = await startTestGateway();
  results = await auditServer({ url: gw.url });
});
afterAll(async () => gw?.close());

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('ran the audit', () => {
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });

  it('passes every MUST', () => {
    const failed = results.filter((r) => r.status === 'error' || (r.name.startsWith('MUST') && r.status !== 'ok'));
    expect(failed.map(describeResult), `MUST requirements failed:\n${failed.map(describeResult).join('\n')}`).toEqual([]);
  });

  it('the server is still serving after the audit', async () => {
    const res = await gw.query('{ agencies(first: 1) { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The gateway's own error answers
// ---------------------------------------------------------------------------------------------

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
const ONLY_GRAPHQL_RESPONSE = { accept: GRAPHQL_RESPONSE_JSON };
const NORMAL = '{ agencies(first: 1) { totalCount } }';

interface Answer {
  status: number;
  headers: Headers;
  /** The media type without parameters. */
  mediaType: string;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    throw new Error(`HTTP ${response.status} (${response.headers.get('content-type')}) answered a body that is not JSON: ${text.slice(0, 300)}`);
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  return { status: response.status, headers: response.headers, mediaType, body };
}

const postJson = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });

/** An error answer of the GraphQL shape: status, media type, one error with a message and a code, no data. */
function expectErrorAnswer(answer: Answer, status: number, mediaType: string, code: string): void {
  const summary = JSON.stringify({ status: answer.status, mediaType: answer.mediaType, body: answer.body });
  expect({ status: answer.status, mediaType: answer.mediaType }, summary).toEqual({ status, mediaType });
  expect(answer.body.data, summary).toBeUndefined();
  expect(answer.body.errors, summary).toHaveLength(1);
  const [error] = answer.body.errors!;
  expect(typeof error!.message, summary).toBe('string');
  expect(error!.message.length, summary).toBeGreaterThan(0);
  expect(error!.extensions?.code, summary).toBe(code);
}

/** A token of the right shape signed with a key the gateway does not know. */
const forgedToken = () =>
  new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('forger').setExpirationTime('1h').sign(new TextEncoder().encode('not-the-gateway-key-0123456789abcdef'));

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  // Production takes tokens from an identity provider only; none is called here.
  AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
  CURSOR_SECRET: 'conformance-test-cursor-secret-0123456789abcdef',
  ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY,
};

describe('the gateway’s own error answers honour Accept (application/graphql-response+json)', () => {
  /** Production mode, the smallest body and document limits the configuration takes. */
  let production: RunningGateway;
  /** Development mode, two requests per minute per subject. */
  let limited: RunningGateway;

  beforeAll(async () => {
    production = await startGateway(loadConfig({ ...gw.databases.env, ...PRODUCTION_ENV, MAX_BODY_BYTES: '1024', MAX_DOCUMENT_BYTES: '256' }), { port: 0, connections: gw.databases.connections });
    limited = await startGateway(loadConfig({ ...gw.databases.env, RATE_LIMIT_PER_MINUTE: '2' }), { port: 0, connections: gw.databases.connections });
  });
  afterAll(async () => {
    await limited?.close();
    await production?.close();
  });

  it('401: a malformed Authorization header and a forged token', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', `Bearer ${await forgedToken()}`]) {
      for (const url of [gw.url, production.url]) {
        const answer = await postJson(url, { query: NORMAL }, { ...ONLY_GRAPHQL_RESPONSE, authorization });
        expectErrorAnswer(answer, 401, GRAPHQL_RESPONSE_JSON, 'UNAUTHENTICATED');
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
  });

  it('400: purpose headers the gateway refuses', async () => {
    const badPurpose = await postJson(gw.url, { query: NORMAL }, { ...ONLY_GRAPHQL_RESPONSE, 'x-purpose': 'CURIOSITY' });
    expectErrorAnswer(badPurpose, 400, GRAPHQL_RESPONSE_JSON, 'BAD_USER_INPUT');
    const noCase = await postJson(gw.url, { query: NORMAL }, { ...ONLY_GRAPHQL_RESPONSE, 'x-purpose': 'DOSSIER_PROCESSING' });
    expectErrorAnswer(noCase, 400, GRAPHQL_RESPONSE_JSON, 'BAD_USER_INPUT');
  });

  it('400: malformed JSON; 415: a charset other than UTF-8', async () => {
    for (const url of [gw.url, production.url]) {
      const malformed = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...ONLY_GRAPHQL_RESPONSE }, body: '{"query": "{ agencies { totalCount } }"' });
      expectErrorAnswer(malformed, 400, GRAPHQL_RESPONSE_JSON, 'BAD_USER_INPUT');
      expect(malformed.body.errors![0]!.message).toMatch(/not valid JSON/);
      const latin1 = await request(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1', ...ONLY_GRAPHQL_RESPONSE }, body: JSON.stringify({ query: NORMAL }) });
      expectErrorAnswer(latin1, 415, GRAPHQL_RESPONSE_JSON, 'BAD_USER_INPUT');
    }
  });

  it('413: a body over MAX_BODY_BYTES', async () => {
    const answer = await postJson(production.url, { query: `${NORMAL}\n#${'x'.repeat(2_000)}` }, ONLY_GRAPHQL_RESPONSE);
    expectErrorAnswer(answer, 413, GRAPHQL_RESPONSE_JSON, 'BAD_USER_INPUT');
    expect(answer.body.errors![0]!.message).toMatch(/MAX_BODY_BYTES/);
  });

  it('400: a document over MAX_DOCUMENT_BYTES, posted and by GET', async () => {
    const query = `${NORMAL}\n#${'x'.repeat(400)}`;
    const posted = await postJson(production.url, { query }, ONLY_GRAPHQL_RESPONSE);
    expectErrorAnswer(posted, 400, GRAPHQL_RESPONSE_JSON, 'QUERY_TOO_COMPLEX');
    expect(posted.body.errors![0]!.message).toMatch(/MAX_DOCUMENT_BYTES/);
    const byGet = await request(`${production.url}?${new URLSearchParams({ query })}`, { headers: { ...ONLY_GRAPHQL_RESPONSE, 'apollo-require-preflight': 'true' } });
    expectErrorAnswer(byGet, 400, GRAPHQL_RESPONSE_JSON, 'QUERY_TOO_COMPLEX');
  });

  it('429: over the rate limit, with Retry-After', async () => {
    const bearer = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'analyst', subject: 'conformance-rate-limited' })}` };
    for (let i = 0; i < 2; i += 1) expect((await postJson(limited.url, { query: NORMAL }, bearer)).status).toBe(200);
    const answer = await postJson(limited.url, { query: NORMAL }, { ...bearer, ...ONLY_GRAPHQL_RESPONSE });
    expectErrorAnswer(answer, 429, GRAPHQL_RESPONSE_JSON, 'QUERY_TOO_COMPLEX');
    expect(answer.body.errors![0]!.extensions?.reason).toBe('RATE_LIMITED');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('PERSISTED_QUERY_NOT_FOUND: an unknown hash, and (production) a document not in the manifest', async () => {
    const unknownHash = { query: undefined, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } };
    // Apollo's persisted-query protocol answers an unknown hash with 200: clients then send the text.
    expectErrorAnswer(await postJson(gw.url, unknownHash, ONLY_GRAPHQL_RESPONSE), 200, GRAPHQL_RESPONSE_JSON, 'PERSISTED_QUERY_NOT_FOUND');
    expectErrorAnswer(await postJson(production.url, unknownHash, ONLY_GRAPHQL_RESPONSE), 200, GRAPHQL_RESPONSE_JSON, 'PERSISTED_QUERY_NOT_FOUND');
    expectErrorAnswer(await postJson(production.url, { query: NORMAL }, ONLY_GRAPHQL_RESPONSE), 400, GRAPHQL_RESPONSE_JSON, 'PERSISTED_QUERY_NOT_FOUND');
  });

  it('500: an unexpected error before GraphQL runs (the gateway’s authenticate and error handler)', async () => {
    // Nothing in the gateway fails this way on purpose; a token verifier that throws something
    // other than a token fault (a key store down) takes the same path as any such error.
    const app = express();
    const logged: string[] = [];
    app.use('/graphql', authenticate(async () => {
      throw new Error('key store unreachable');
    }));
    app.use(httpErrorHandler((_error, requestId) => logged.push(requestId)));
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const answer = await postJson(url, { query: NORMAL }, { ...ONLY_GRAPHQL_RESPONSE, authorization: `Bearer ${await forgedToken()}` });
      expectErrorAnswer(answer, 500, GRAPHQL_RESPONSE_JSON, 'INTERNAL_SERVER_ERROR');
      expect(answer.body.errors![0]!.message).toBe('Internal server error');
      expect(answer.body.errors![0]!.extensions?.requestId).toBe(logged[0]);
    } finally {
      server.close();
      await once(server, 'close');
    }
  });

  it('chooses the media type Apollo chooses for the same Accept header, and keeps the status', async () => {
    const bad = { authorization: 'Bearer not-a-jwt' };
    const cases: Array<[accept: string | undefined, mediaType: string]> = [
      [undefined, 'application/json'],
      ['*/*', 'application/json'],
      ['application/*', 'application/json'],
      ['application/json', 'application/json'],
      [GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON],
      [`${GRAPHQL_RESPONSE_JSON}; charset=utf-8`, GRAPHQL_RESPONSE_JSON],
      // What graphql-http, urql and Apollo Client 4 send.
      [`${GRAPHQL_RESPONSE_JSON}, application/json;q=0.9`, GRAPHQL_RESPONSE_JSON],
      [`application/json;q=0.5, ${GRAPHQL_RESPONSE_JSON}`, GRAPHQL_RESPONSE_JSON],
      // Equal weights: the client's order decides, as in Apollo.
      [`${GRAPHQL_RESPONSE_JSON}, application/json`, GRAPHQL_RESPONSE_JSON],
      [`application/json, ${GRAPHQL_RESPONSE_JSON}`, 'application/json'],
      // Neither is acceptable: the refusal keeps its status, in application/json (as Apollo's own errors).
      ['text/html', 'application/json'],
    ];
    for (const [accept, mediaType] of cases) {
      const headers: Record<string, string> = accept === undefined ? {} : { accept };
      const ours = await postJson(gw.url, { query: NORMAL }, { ...headers, ...bad });
      expectErrorAnswer(ours, 401, mediaType, 'UNAUTHENTICATED');
      expect(ours.headers.get('vary'), accept).toMatch(/\baccept\b/i);
      // Apollo's answer to a request it refuses itself (a syntax error).
      const apollo = await postJson(gw.url, { query: '{ agencies(first: 1) { totalCount }' }, headers);
      expect(apollo.mediaType, `Apollo, Accept: ${accept}`).toBe(mediaType);
    }
  });
});

describe('queries by GET', () => {
  const url = (query: string) => `${gw.url}?${new URLSearchParams({ query })}`;

  it('run with the apollo-require-preflight header (or a non-simple content type)', async () => {
    const ways: Array<Record<string, string>> = [{ 'apollo-require-preflight': 'true' }, { 'x-apollo-operation-name': 'Agencies' }, { 'content-type': 'application/json' }];
    for (const headers of ways) {
      const answer = await request(url(NORMAL), { headers });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ agencies: { totalCount: expect.any(Number) } });
    }
  });

  it('are refused without it, as a possible cross-site request forgery, naming the header to send', async () => {
    for (const accept of [undefined, GRAPHQL_RESPONSE_JSON]) {
      const answer = await request(url(NORMAL), accept ? { headers: { accept } } : {});
      expectErrorAnswer(answer, 400, accept ?? 'application/json', 'BAD_USER_INPUT');
      expect(answer.body.errors![0]!.message).toMatch(/^This operation has been blocked as a potential Cross-Site Request Forgery \(CSRF\)/);
      expect(answer.body.errors![0]!.message).toContain('apollo-require-preflight');
      expect(answer.body.errors![0]!.extensions?.reason).toBe('BAD_REQUEST');
    }
  });
});
