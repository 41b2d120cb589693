import { readFileSync } from 'node:fs';
import {
  astFromValue,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { SOURCE_NAMES } from '../../src/modules/index.js';
import type { Connections } from '../../src/platform/db/connection.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../support/access-log-key.js';
import { moduleSamples } from '../support/samples/index.js';

/**
 * Hostile and broken requests through the real HTTP server: every one gets a clear error with a
 * code, no stack trace or SQL, nothing is written (row counts of every table of every source stay
 * the same, the access log gets no entry), and the server keeps serving.
 */

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  // Production takes tokens from an identity provider only; none is called here.
  AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
  CURSOR_SECRET: 'bad-input-test-cursor-secret-0123456789abcdef',
  ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY,
};
/** The limits in force (the defaults: the tests set none). */
const LIMITS = loadConfig({}).limits;
const SQL_STRINGS = [`'; drop table population.citizens; --`, `%' OR 1=1 --`, `' OR '1'='1`, '%'];
const NORMAL = '{ agencies(first: 1) { totalCount edges { node { code } } } }';
const HASHES = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
// The operation's definition, wherever it stands among the fragments it spreads.
const hashOf = (operation: string) => Object.keys(HASHES).find((hash) => new RegExp(`(?:^|\\s)query ${operation}\\(`).test(HASHES[hash]!))!;

let gw: TestGateway;
let production: RunningGateway;
let admin: Record<string, string>;
let countsBefore: Record<string, number>;
let sequence = 0;
/** Request ids of the bad requests: none of them may leave an access-log entry. */
const badRequestIds: string[] = [];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
}

/** Sends a raw body; records the request id so that the access log can be checked at the end. */
async function send(url: string, body: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  const requestId = `bad-input-${process.pid}-${++sequence}`;
  badRequestIds.push(requestId);
  const response = await fetch(url, { method: 'POST', headers: { 'x-request-id': requestId, ...headers }, body });
  const text = await response.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    throw new Error(`HTTP ${response.status} answered with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

const json = (payload: unknown) => JSON.stringify(payload);
const post = (payload: unknown, headers: Record<string, string> = {}, url = gw.url) => send(url, json(payload), { 'content-type': 'application/json', ...headers });
const byHash = (operation: string, variables: Record<string, unknown>) => ({
  operationName: operation,
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(operation) } },
});

/** What must never reach a client: SQL, stack frames, file names. */
/** " at fn (file:1:2)", " at file:///…", " at async …", " at node:…" — not the " at " of "at most". */
const STACK_FRAME = /\sat (\S+ \(.*:\d+(:\d+)?\)|async |file:|node:|\/)/;
const LEAKS = [/\bselect\s/i, /\binsert\s+into\b/i, /\bdelete\s+from\b/i, /\bupdate\s+\S+\s+set\b/i, STACK_FRAME, /\.ts:\d/, /\.js:\d/, /node_modules/, /\brelation\b/i, /\bstack/i];

function expectNoLeak(answer: Answer): void {
  for (const error of answer.body.errors ?? []) {
    for (const leak of LEAKS) expect(error.message, `error message leaks ${leak}`).not.toMatch(leak);
    expect(Object.keys(error.extensions ?? {})).not.toContain('stacktrace');
    expect(Object.keys(error.extensions ?? {})).not.toContain('exception');
  }
  expect(answer.text).not.toMatch(/node_modules|\.ts:\d+|at async /);
}

/** A refusal: an HTTP client error, only errors of the expected code, the limit named, nothing leaked. */
function expectRefused(answer: Answer, code: 'BAD_USER_INPUT' | 'QUERY_TOO_COMPLEX' | 'PERSISTED_QUERY_NOT_FOUND', message?: RegExp): void {
  expect(answer.body.errors ?? [], answer.text).not.toHaveLength(0);
  const codes = answer.body.errors!.map((e) => e.extensions?.code);
  expect(codes, answer.text).toContain(code);
  for (const c of codes) expect(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX', 'PERSISTED_QUERY_NOT_FOUND'], answer.text).toContain(c);
  if (message) expect(answer.body.errors!.some((e) => message.test(e.message)), answer.text).toBe(true);
  // No data: none at all, or null in every field asked for.
  expect(Object.values(answer.body.data ?? {}).every((value) => value === null), answer.text).toBe(true);
  // fetch sends `Accept: */*`: JSON, whoever answered (Apollo or the gateway itself; see conformance.test.ts).
  expect(answer.headers.get('content-type'), answer.text).toBe('application/json; charset=utf-8');
  expectNoLeak(answer);
}

/** A client error answered as one: 4xx, or 200 with errors for an execution-time error. */
function expectClientStatus(answer: Answer): void {
  expect([200, 400, 413, 415], answer.text).toContain(answer.status);
}

/** The server is still up and serving normally (production: a document of the manifest). */
async function expectServing(url = gw.url): Promise<void> {
  const payload = url === production?.url ? byHash('DatasetSearch', { first: 1 }) : { query: NORMAL };
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': `serving-${++sequence}` }, body: json(payload) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data?: Record<string, { totalCount: number }>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(Object.values(body.data!)[0]!.totalCount).toBeGreaterThan(0);
}

/** Rows in every table of every source, by "schema.table". */
async function rowCounts(connections: Connections): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of SOURCE_NAMES) {
    const db = connections.sources[name].root;
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = ${name} and table_type = 'BASE TABLE' order by table_name`.execute(db);
    for (const { table_name } of tables) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(name, table_name)}`.execute(db);
      counts[`${name}.${table_name}`] = rows[0]!.n;
    }
  }
  return counts;
}

// The access log and its Merkle tree (leaves, nodes, checkpoints, pending rows) grow with good
// requests, and the integrator works in the background; no bad request leaves an entry (below).
const withoutAccessLog = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([table]) => !table.startsWith('audit.access_log')));

beforeAll(async () => {
  gw = await startTestGateway();
  production = await startGateway(loadConfig({ ...gw.databases.env, ...PRODUCTION_ENV }), { port: 0, connections: gw.databases.connections });
  admin = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
  countsBefore = await rowCounts(gw.databases.connections);
  // Every source has tables, and the people register is not empty.
  expect(countsBefore['population.citizens']).toBeGreaterThan(0);
  expect(Object.keys(countsBefore).length).toBeGreaterThanOrEqual(14);
});

afterAll(async () => {
  await production?.close();
  await gw?.close();
});

describe('malformed requests', () => {
  it('malformed JSON: 400 BAD_USER_INPUT', async () => {
    for (const body of ['{"query": "{ agencies { totalCount } }"', '{query: 1}', 'not json at all', '\u0000\u0001']) {
      const answer = await send(gw.url, body, { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT', /not valid JSON/);
    }
    await expectServing();
  });

  it('wrong content types (text/plain, form-urlencoded, none): 4xx BAD_USER_INPUT, the document not run', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      [NORMAL, { 'content-type': 'text/plain' }],
      [`query=${encodeURIComponent(NORMAL)}`, { 'content-type': 'application/x-www-form-urlencoded' }],
      [json({ query: NORMAL }), {}],
      [json({ query: NORMAL }), { 'content-type': 'application/xml' }],
      [json({ query: NORMAL }), { 'content-type': 'application/json; charset=latin1' }],
    ];
    for (const [body, headers] of cases) {
      const answer = await send(gw.url, body, headers);
      expect(answer.status, `${JSON.stringify(headers)} → ${answer.text}`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expectRefused(answer, 'BAD_USER_INPUT');
    }
    await expectServing();
  });

  it('no body, an empty object, a query that is not a string, a batch: 400 BAD_USER_INPUT', async () => {
    const answers = [
      await send(gw.url, undefined, { 'content-type': 'application/json' }),
      await post({}),
      await post({ query: 42 }),
      await post({ query: { kind: 'Document' } }),
      await post({ query: NORMAL, variables: 'not an object' }),
      await post([{ query: NORMAL }, { query: NORMAL }]),
    ];
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT');
    }
    await expectServing();
  });
});

describe('limits', () => {
  it('a 1 MB document: 413, the body limit named (MAX_BODY_BYTES)', async () => {
    const answer = await post({ query: `${NORMAL}\n#${'x'.repeat(1_000_000)}` });
    expect(answer.status).toBe(413);
    expectRefused(answer, 'BAD_USER_INPUT', /MAX_BODY_BYTES/);
    await expectServing();
  });

  it('a 100 KB document (under the body limit): QUERY_TOO_COMPLEX naming MAX_DOCUMENT_BYTES', async () => {
    const answer = await post({ query: `${NORMAL}\n#${'x'.repeat(100_000)}` });
    expect(answer.status).toBe(400);
    expectRefused(answer, 'QUERY_TOO_COMPLEX', /MAX_DOCUMENT_BYTES/);
    await expectServing();
  });

  it('a 1 MB variable: 413, the body limit named', async () => {
    const answer = await post({ query: 'query($s: String) { datasets(filter: { search: $s }) { totalCount } }', variables: { s: 'x'.repeat(1_000_000) } });
    expect(answer.status).toBe(413);
    expectRefused(answer, 'BAD_USER_INPUT', /MAX_BODY_BYTES/);
    await expectServing();
  });

  it('a 200 KB variable under the body limit is searched for (and found nowhere)', async () => {
    const answer = await post({ query: 'query($s: String) { datasets(filter: { search: $s }) { totalCount } }', variables: { s: 'x'.repeat(200_000) } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ datasets: { totalCount: 0 } });
    await expectServing();
  });

  it('depth 50: QUERY_TOO_COMPLEX naming the depth limit', async () => {
    const query = `{ administrativeUnit(code: "492") { ${'parent { '.repeat(48)} name ${'} '.repeat(48)} } }`;
    const answer = await post({ query });
    expect(answer.status).toBe(400);
    expectRefused(answer, 'QUERY_TOO_COMPLEX', new RegExp(`^Query depth limit of ${LIMITS.maxDepth} exceeded`));
    await expectServing();
  });

  it('1,000 aliases: QUERY_TOO_COMPLEX naming the limit that stops it (tokens: 3 per alias)', async () => {
    const query = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const answer = await post({ query });
    expectRefused(answer, 'QUERY_TOO_COMPLEX', /^(Token|Aliases) limit of \d+ exceeded/);
    await expectServing();
  });

  it('40 aliases (few tokens): QUERY_TOO_COMPLEX naming the alias limit', async () => {
    // (graphql-armor does not count aliases of __typename, which cost nothing.)
    const query = `{ agencies(first: 1) { ${Array.from({ length: 40 }, (_, i) => `a${i}: totalCount`).join(' ')} } }`;
    const answer = await post({ query });
    expect(answer.status).toBe(400);
    expectRefused(answer, 'QUERY_TOO_COMPLEX', new RegExp(`^Aliases limit of ${LIMITS.maxAliases} exceeded`));
    await expectServing();
  });

  it('a costly query (100 × 100 × 100 items): QUERY_TOO_COMPLEX naming the cost limit', async () => {
    const query = '{ agencies(first: 100) { edges { node { datasets(first: 100) { edges { node { resources(first: 100) { edges { node { url } } } } } } } } } }';
    const answer = await post({ query });
    expectRefused(answer, 'QUERY_TOO_COMPLEX', new RegExp(`^Query Cost limit of ${LIMITS.maxCost} exceeded`));
    await expectServing();
  });

  it('a fragment cycle: 400 BAD_USER_INPUT, the server does not loop', async () => {
    const query = 'query { agencies { ...A } } fragment A on AgencyConnection { totalCount ...B } fragment B on AgencyConnection { ...A }';
    const answer = await post({ query });
    expect(answer.status).toBe(400);
    expectRefused(answer, 'BAD_USER_INPUT', /Cannot spread fragment "A" within itself/);
    await expectServing();
  });

  it('a syntax error and an over-long document: a coded error', async () => {
    for (const query of ['{ agencies(first: 1) { totalCount }', '{ 8f31403dfe404bccbb0e835f2629c6a7 }', `{ ${'a '.repeat(3_500)} }`]) {
      const answer = await post({ query });
      expectRefused(answer, query.length > 1_000 ? 'QUERY_TOO_COMPLEX' : 'BAD_USER_INPUT', query.length > 1_000 ? new RegExp(`^Token limit of ${LIMITS.maxTokens} exceeded`) : /^Syntax Error/);
    }
    await expectServing();
  });

  // Gateway bug: graphql-armor's max-tokens protection re-parses the document in a
  // parsingDidStart hook; any GraphQLError thrown there (a real syntax error, or the token limit)
  // makes Apollo call unexpectedErrorProcessingRequest, which armor re-throws with code
  // GRAPHQL_VALIDATION_FAILED, and Apollo answers HTTP 500. The body is right (coded error, no
  // stack), the status says "server fault" for a client's mistake (and graphql-http's audit warns
  // 556A/74FF: 400 expected on a parse failure).
  it('a syntax error or the token limit is answered 400, not 500', async () => {
    const syntax = await post({ query: '{ agencies(first: 1) { totalCount }' });
    const tokens = await post({ query: `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    await expectServing();
    expect({ syntax: syntax.status, tokens: tokens.status }).toEqual({ syntax: 400, tokens: 400 });
  });
});

describe('invalid arguments', () => {
  it('invalid cursors: garbage, tampered, of another list, of another ordering', async () => {
    const first = await post({ query: '{ datasets(first: 2) { edges { cursor } } agencies(first: 1) { edges { cursor } } }' });
    const data = first.body.data as { datasets: { edges: Array<{ cursor: string }> }; agencies: { edges: Array<{ cursor: string }> } };
    const datasetCursor = data.datasets.edges[1]!.cursor;
    const tampered = `${datasetCursor.slice(0, 20)}${datasetCursor[20] === 'A' ? 'B' : 'A'}${datasetCursor.slice(21)}`;
    const cases: Array<[string, string]> = [
      ['datasets', 'garbage'],
      ['datasets', '!!!'],
      ['datasets', 'x'.repeat(10_000)],
      ['datasets', tampered],
      ['agencies', datasetCursor],
      ['datasets', data.agencies.edges[0]!.cursor],
    ];
    for (const [list, cursor] of cases) {
      for (const direction of ['after', 'before']) {
        const size = direction === 'after' ? 'first' : 'last';
        const answer = await post({ query: `query($c: String) { ${list}(${size}: 2, ${direction}: $c) { totalCount } }`, variables: { c: cursor } });
        expect(answer.status).toBe(200);
        expectRefused(answer, 'BAD_USER_INPUT', /^Invalid cursor/);
      }
    }
    // A cursor of another ordering of the same list.
    const other = await post({ query: `query($c: String) { datasets(first: 2, after: $c, orderBy: DOWNLOADS) { totalCount } }`, variables: { c: datasetCursor } });
    expectRefused(other, 'BAD_USER_INPUT', /^Invalid cursor/);
    await expectServing();
  });

  it('invalid page sizes: negative, over 100, both first and last', async () => {
    for (const args of ['first: -1', 'first: 101', 'last: -5', 'last: 1000']) {
      const answer = await post({ query: `{ datasets(${args}) { totalCount } }` });
      expectRefused(answer, 'BAD_USER_INPUT', /must be an integer from 0 to 100/);
    }
    await expectServing();
  });

  it('invalid IDs in filters: garbage, another type, out of range; node(id) answers null', async () => {
    const cases = [
      ['agencies', 'unitId', 'garbage'],
      ['agencies', 'unitId', toGlobalId('Citizen', 1)],
      ['agencies', 'unitId', toGlobalId('AdministrativeUnit', '99999999999999999999')],
      ['agencies', 'unitId', toGlobalId('AdministrativeUnit', '-1')],
      ['agencies', 'unitId', `${toGlobalId('AdministrativeUnit', 1)}==`],
      ['businesses', 'wardId', ''],
      ['citizens', 'wardId', ''],
      ['dossiers', 'agencyId', 'x'.repeat(5_000)],
      ['citizens', 'householdId', toGlobalId('Household', 0)],
    ] as const;
    for (const [list, field, id] of cases) {
      const answer = await post({ query: `query($id: ID) { ${list}(filter: { ${field}: $id }) { totalCount } }`, variables: { id } }, admin);
      expectRefused(answer, 'BAD_USER_INPUT', new RegExp(`filter\\.${field} is not a valid \\w+ id`));
    }
    const node = await post({ query: '{ a: node(id: "garbage") { id } b: node(id: "") { id } c: node(id: "QWdlbmN5Ojk5OTk5OTk=") { id } }' });
    expect(node.body).toMatchObject({ data: { a: null, b: null, c: null } });
    expect(node.body.errors).toBeUndefined();
    const tooMany = await post({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: 101 }, (_, i) => toGlobalId('Agency', i + 1)) } });
    // Refused before it runs, the list limit named (issue 13, L2).
    expectRefused(tooMany, 'QUERY_TOO_COMPLEX', /^List limit of 100 items exceeded: nodes\(ids:\) has 101 \(MAX_LIST_ITEMS\)$/);
    await expectServing();
  });

  // Gateway bug: the district filters test `filter?.districtId ? … : null`
  // (business.resolver.ts, citizen.resolver.ts, household.resolver.ts), so an empty string is
  // taken as "no filter" and the whole list comes back, where every other ID filter (wardId: "")
  // refuses it as an invalid id.
  it('filter.districtId: "" is refused like any other invalid id', async () => {
    const answer = await post({ query: '{ businesses(filter: { districtId: "" }) { totalCount } citizens(filter: { districtId: "" }) { totalCount } }' }, admin);
    await expectServing();
    // Actual: 200, no error, data { businesses: { totalCount: <all> }, citizens: { totalCount: <all> } }.
    expectRefused(answer, 'BAD_USER_INPUT', /filter\.districtId is not a valid AdministrativeUnit id/);
  });

  // Gateway bug (minor): keyset.ts decodes a cursor only `if (args.after)`, so after: "" (and
  // before: "") is taken as no cursor and the first page is served, where any other string that
  // is not a cursor of the gateway is refused as "Invalid cursor".
  it('after: "" is refused as an invalid cursor', async () => {
    const answer = await post({ query: '{ datasets(first: 2, after: "") { totalCount edges { cursor } } }' });
    await expectServing();
    // Actual: 200, no error, the first two datasets.
    expectRefused(answer, 'BAD_USER_INPUT', /^Invalid cursor/);
  });

  it('invalid scalars: DateTime, LocalDate, Int overflow, enums, booleans, lists', async () => {
    const literal = [
      '{ datasets(filter: { updatedFrom: "yesterday" }) { totalCount } }',
      '{ datasets(filter: { updatedFrom: "2024-02-30T10:00:00Z" }) { totalCount } }',
      '{ datasets(filter: { updatedFrom: 1730340000 }) { totalCount } }',
      '{ dossierStatistics(filter: { from: "2024-13-01T00:00:00Z" }) { totals { total } } }',
      '{ businesses(filter: { registeredFrom: "2024-13-45" }) { totalCount } }',
      '{ businesses(filter: { registeredFrom: "31/12/2024" }) { totalCount } }',
      '{ businesses(filter: { registeredTo: "2024-10-31T00:00:00Z" }) { totalCount } }',
      '{ citizens(filter: { bornFrom: "1990-02-30" }) { totalCount } }',
      '{ datasets(first: 2147483648) { totalCount } }',
      '{ datasets(first: 99999999999999999999) { totalCount } }',
      '{ datasets(first: 1.5) { totalCount } }',
      '{ datasets(first: "10") { totalCount } }',
      '{ datasets(orderBy: BOGUS) { totalCount } }',
      '{ datasets(orderBy: "TITLE") { totalCount } }',
      '{ datasets(orderBy: title) { totalCount } }',
      '{ businesses(filter: { digitalTech: "yes" }) { totalCount } }',
      '{ dossiers(filter: { status: [OPEN] }) { totalCount } }',
    ];
    for (const query of literal) {
      const answer = await post({ query }, admin);
      expect(answer.status, `${query} → ${answer.text}`).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT');
    }
    const variables: Array<[string, string, unknown]> = [
      ['DateTime', 'datasets(filter: { updatedFrom: $v }) { totalCount }', 'not a date'],
      ['DateTime', 'datasets(filter: { updatedFrom: $v }) { totalCount }', '2024-10-31'],
      ['LocalDate', 'citizens(filter: { bornFrom: $v }) { totalCount }', '1990-1-1'],
      ['LocalDate', 'citizens(filter: { bornTo: $v }) { totalCount }', '0000-00-00'],
      ['Int', 'datasets(first: $v) { totalCount }', 1e12],
      ['Int', 'datasets(first: $v) { totalCount }', -(2 ** 31) - 1],
      ['Int', 'datasets(first: $v) { totalCount }', '20'],
      ['DatasetOrder!', 'datasets(orderBy: $v) { totalCount }', 'BOGUS'],
      ['Gender', 'citizens(filter: { gender: $v }) { totalCount }', 'OTHER'],
      ['[DossierStatus!]', 'dossiers(filter: { status: $v }) { totalCount }', ['RECEIVED', null]],
      ['Boolean', 'businesses(filter: { digitalTech: $v }) { totalCount }', 'true'],
      // EmailAddress is an output type only in this schema: an e-mail variable cannot reach a
      // resolver, and is refused (unused variable) before anything runs.
      ['EmailAddress', 'agencies(first: 1) { totalCount }', 'not-an-email'],
    ];
    for (const [type, selection, value] of variables) {
      const answer = await post({ query: `query($v: ${type}) { ${selection} }`, variables: { v: value } }, admin);
      expect(answer.status, `${type} ${JSON.stringify(value)} → ${answer.text}`).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT');
    }
    await expectServing();
  });
});

/** One String or ID argument (or input field) to put SQL-looking strings in. */
interface Target {
  /** e.g. `citizens(filter.search)` or `agencies.datasets(filter.tag)`. */
  name: string;
  /** The variable's type: the argument's, a list's element made non-null. */
  type: string;
  /** The document, the value in `$v`. */
  document: string;
  /** The results the document asked for (several for a field under a list). */
  results(data: Record<string, unknown>): unknown[];
}

function isInjectable(type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isUnionType(named) || isInterfaceType(named)) return '{ __typename }';
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  if (fields.edges && fields.totalCount) return '{ totalCount edges { cursor } }';
  const leaves = Object.values(fields)
    .filter((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined))
    .filter((f) => isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type)))
    .map((f) => f.name);
  const objects = Object.values(fields)
    .filter((f) => isObjectType(getNamedType(f.type)) && f.args.length === 0)
    .map((f) => `${f.name} { __typename }`);
  return `{ __typename ${[...leaves, ...objects].join(' ')} }`;
}

/** The node type of a connection (`…Connection.edges.node`). */
function nodeTypeOf(type: GraphQLOutputType): GraphQLObjectType | undefined {
  const connection = getNamedType(type);
  const edges = isObjectType(connection) ? connection.getFields().edges : undefined;
  const edge = edges ? getNamedType(edges.type) : undefined;
  const node = edge && isObjectType(edge) ? edge.getFields().node : undefined;
  const named = node ? getNamedType(node.type) : undefined;
  return named && isObjectType(named) ? named : undefined;
}

const isRequired = (arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined;

/**
 * What a String or ID among the other required arguments of a field gets while one is tried: a
 * well-formed value that names nothing (64 zeros is also a well-formed code, number or SHA-256,
 * so the look-up runs).
 */
const PLACEHOLDER = '0'.repeat(64);

/**
 * A value of any input type for a required argument, read from the schema: the placeholder for
 * strings and ids, 0, false, an enum's first value, a list of one, an input object with its
 * required fields. A scalar the test cannot make a value of fails, naming it.
 */
function placeholderFor(type: GraphQLInputType, where: string): unknown {
  if (isNonNullType(type)) return placeholderFor(type.ofType, where);
  if (isListType(type)) return [placeholderFor(type.ofType, where)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => [f.name, placeholderFor(f.type, `${where}.${f.name}`)]));
  }
  switch (type.name) {
    case 'String':
    case 'ID':
      return PLACEHOLDER;
    case 'Int':
    case 'Float':
      return 0;
    case 'Boolean':
      return false;
    default:
      throw new Error(`${where} is a required ${type.name}: give the test a value of it in placeholderFor`);
  }
}

/** The argument text of a placeholder (`, name: <literal>`). */
function placeholderArgument(arg: GraphQLArgument, field: string): string {
  return `, ${arg.name}: ${print(astFromValue(placeholderFor(arg.type, `${field}(${arg.name})`), arg.type)!)}`;
}

/** `arg: $v` or `arg: { field: $v }`, with the value in a list where the type is one. */
function injections(field: GraphQLField<unknown, unknown>): Array<{ at: string; type: string; text: string }> {
  const found: Array<{ at: string; type: string; text: string }> = [];
  const put = (type: GraphQLInputType) => (type.toString().startsWith('[') ? '[$v]' : '$v');
  // Only numbers to give (accessLogConsistency's tree sizes): no string reaches SQL through it.
  if (!field.args.some((arg) => isInjectable(arg.type) || isInputObjectType(getNamedType(arg.type)))) return found;
  for (const arg of field.args) {
    const rest = field.args
      .filter((other) => other !== arg && isRequired(other))
      .map((other) => placeholderArgument(other, field.name))
      .join('');
    if (arg.name === 'after' || arg.name === 'before') continue; // cursors: tested above
    if (isInjectable(arg.type)) found.push({ at: arg.name, type: arg.type.toString(), text: `${arg.name}: ${put(arg.type)}${rest}` });
    const named = getNamedType(arg.type);
    if (isInputObjectType(named)) {
      for (const inner of Object.values(named.getFields())) {
        if (isInjectable(inner.type)) found.push({ at: `${arg.name}.${inner.name}`, type: inner.type.toString(), text: `${arg.name}: { ${inner.name}: ${put(inner.type)} }${rest}` });
      }
    }
  }
  return found;
}

/**
 * Every String/ID argument and String/ID filter field of every query field, and of every field
 * of the nodes of the top-level lists (an agency's datasets, indicators, dossiers…).
 */
function injectionTargets(schema: GraphQLSchema): Target[] {
  const targets: Target[] = [];
  const element = (type: string) => `${type.replace(/[[\]!]/g, '')}!`;
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    for (const injection of injections(field)) {
      targets.push({
        name: `${field.name}(${injection.at})`,
        type: element(injection.type),
        document: `query($v: ${element(injection.type)}) { result: ${field.name}(${injection.text}) ${selectionFor(field.type)} }`,
        results: (data) => [data.result],
      });
    }
    const node = nodeTypeOf(field.type);
    if (!node) continue;
    for (const inner of Object.values(node.getFields())) {
      for (const injection of injections(inner)) {
        targets.push({
          name: `${field.name}.${inner.name}(${injection.at})`,
          type: element(injection.type),
          document: `query($v: ${element(injection.type)}) { result: ${field.name}(first: 5) { edges { node { inner: ${inner.name}(${injection.text}) ${selectionFor(inner.type)} } } } }`,
          results: (data) => ((data.result as { edges?: Array<{ node: { inner: unknown } }> } | null)?.edges ?? []).map((edge) => edge.node.inner),
        });
      }
    }
  }
  return targets;
}

describe('SQL-looking strings in every filter and lookup', () => {
  let targets: Target[];
  /** What the look-ups answering with an object, not null, answer for a value that names nothing, by type (the sources' samples). */
  let noMatch: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    // The schema the gateway serves (the code's, not the emitted file).
    targets = injectionTargets(await buildGatewaySchema({ guardPersonalData: true }));
    noMatch = Object.assign({}, ...(await moduleSamples()).map((s) => s.noMatch ?? {})) as Record<string, Record<string, unknown>>;
  });

  it('finds the filters and lookups to try: node(id), nodes(ids), and those each source names in its samples', async () => {
    const names = targets.map((t) => t.name);
    const expected = ['node(id)', 'nodes(ids)', ...(await moduleSamples()).flatMap((s) => s.injectionTargets ?? [])];
    expect(expected.length).toBeGreaterThanOrEqual(20);
    for (const name of expected) expect(names).toContain(name);
  });

  it.each([
    ['an admin with a purpose', true],
    ['an anonymous caller', false],
  ])('as %s: matches nothing, errors only BAD_USER_INPUT, no table dropped or changed', async (_who, asAdmin) => {
    let runs = 0;
    for (const target of targets) {
      for (const value of SQL_STRINGS) {
        // Served searches, not refused requests: an admin's look-up by a personal criterion is
        // logged (issue 13, L1) under its own request id, outside `badRequestIds`.
        const served = asAdmin ? { ...admin, 'x-request-id': `searched-${process.pid}-${++sequence}` } : {};
        const answer = await post({ query: target.document, variables: { v: value } }, served);
        const where = `${target.name} = ${JSON.stringify(value)} → ${answer.text.slice(0, 400)}`;
        expect(answer.status, where).toBe(200);
        expectNoLeak(answer);
        for (const error of answer.body.errors ?? []) expect(['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED'], where).toContain(error.extensions?.code);
        for (const result of target.results(answer.body.data ?? {})) {
          if (result && typeof result === 'object' && !Array.isArray(result) && 'totalCount' in result) {
            expect((result as { totalCount: number }).totalCount, where).toBe(0);
          } else if (Array.isArray(result)) {
            // nodes: null for every id that is not one; facets: no category matches.
            expect(result.every((item) => item === null), where).toBe(true);
          } else if (result && typeof result === 'object' && noMatch[(result as { __typename?: string }).__typename ?? '']) {
            // A look-up that answers for any value (a public verification) tells, for one that names nothing, only that.
            expect(result, where).toMatchObject(noMatch[(result as { __typename: string }).__typename]!);
          } else if (result !== undefined) {
            expect(result, where).toBeNull();
          }
        }
        runs += 1;
      }
    }
    expect(runs).toBe(targets.length * SQL_STRINGS.length);
    // Every table is still there, with the same rows.
    expect(withoutAccessLog(await rowCounts(gw.databases.connections))).toEqual(withoutAccessLog(countsBefore));
    await expectServing();
  }, 300_000);

  it('a literal (not a variable) SQL string in a search is a string too', async () => {
    // A served search (logged as a look-up by name: issue 13, L1), not a refused request.
    const answer = await post({ query: `{ citizens(filter: { search: "%' OR 1=1 --" }) { totalCount } datasets(filter: { search: "'; drop table population.citizens; --" }) { totalCount } }` }, { ...admin, 'x-request-id': `searched-literal-${process.pid}` });
    expect(answer.body).toMatchObject({ data: { citizens: { totalCount: 0 }, datasets: { totalCount: 0 } } });
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('unexpected errors are masked', () => {
  it('a broken table (SQL error) is INTERNAL_SERVER_ERROR with a request id, no SQL, no table name', async () => {
    const db = gw.databases.connections.sources.opendata.root;
    await sql`alter table opendata.datasets rename to datasets_gone`.execute(db);
    let development: Answer;
    let inProduction: Answer;
    try {
      development = await post({ query: '{ datasets(first: 1) { totalCount edges { node { title } } } }' });
      inProduction = await post(byHash('DatasetSearch', { search: 'giao thong' }), {}, production.url);
    } finally {
      await sql`alter table opendata.datasets_gone rename to datasets`.execute(db);
    }
    for (const answer of [development, inProduction]) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors?.length, answer.text).toBeGreaterThan(0);
      for (const error of answer.body.errors!) {
        expect(error.message).toBe('Internal server error');
        expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
        // The request id ties the client's report to the server's log (issue 13).
        expect(error.extensions!.requestId).toBe(answer.headers.get('x-request-id'));
        expect(error.extensions!.requestId).toMatch(/^bad-input-/);
      }
      expect(answer.text).not.toMatch(/datasets_gone|does not exist|opendata\.|42P01/);
      expectNoLeak(answer);
    }
    await expectServing();
    await expectServing(production.url);
  });
});

describe('production mode', () => {
  it('the same refusals, coded, nothing leaked; other documents than the manifest’s are refused', async () => {
    const url = production.url;
    const answers: Array<[Answer, 'BAD_USER_INPUT' | 'QUERY_TOO_COMPLEX' | 'PERSISTED_QUERY_NOT_FOUND', RegExp?]> = [
      [await send(url, '{"query": ', { 'content-type': 'application/json' }), 'BAD_USER_INPUT', /not valid JSON/],
      [await send(url, NORMAL, { 'content-type': 'text/plain' }), 'BAD_USER_INPUT'],
      [await send(url, `query=${encodeURIComponent(NORMAL)}`, { 'content-type': 'application/x-www-form-urlencoded' }), 'BAD_USER_INPUT'],
      [await send(url, json({ query: NORMAL }), {}), 'BAD_USER_INPUT'],
      [await post({ query: `${NORMAL}#${'x'.repeat(1_000_000)}` }, {}, url), 'BAD_USER_INPUT', /MAX_BODY_BYTES/],
      [await post({ query: `${NORMAL}#${'x'.repeat(100_000)}` }, {}, url), 'QUERY_TOO_COMPLEX', /MAX_DOCUMENT_BYTES/],
      [await post(byHash('DatasetSearch', { search: 'x'.repeat(1_000_000) }), {}, url), 'BAD_USER_INPUT', /MAX_BODY_BYTES/],
      [await post({ query: `{ administrativeUnit(code: "492") { ${'parent { '.repeat(48)} name ${'} '.repeat(48)} } }` }, {}, url), 'PERSISTED_QUERY_NOT_FOUND'],
      [await post({ query: `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }, {}, url), 'PERSISTED_QUERY_NOT_FOUND'],
      [await post({ query: '{ agencies { ...A } } fragment A on AgencyConnection { ...B } fragment B on AgencyConnection { ...A }' }, {}, url), 'PERSISTED_QUERY_NOT_FOUND'],
      [await post(byHash('DatasetSearch', { after: 'garbage' }), {}, url), 'BAD_USER_INPUT', /^Invalid cursor/],
      [await post(byHash('DatasetSearch', { first: 2147483648 }), {}, url), 'BAD_USER_INPUT'],
      [await post(byHash('DatasetSearch', { first: 1_000 }), {}, url), 'BAD_USER_INPUT', /from 0 to 100/],
      [await post(byHash('DatasetSearch', { orderBy: 'BOGUS' }), {}, url), 'BAD_USER_INPUT'],
      [await post(byHash('IocDashboard', { from: 'yesterday' }), {}, url), 'BAD_USER_INPUT'],
      [await post(byHash('DossierStatus', {}), {}, url), 'BAD_USER_INPUT'],
    ];
    for (const [answer, code, message] of answers) {
      expectClientStatus(answer);
      expectRefused(answer, code, message);
    }
    for (const search of SQL_STRINGS) {
      const answer = await post(byHash('DatasetSearch', { search, category: search }), {}, url);
      expect(answer.body.errors, answer.text).toBeUndefined();
      expect(answer.body.data).toMatchObject({ datasets: { totalCount: 0 } });
    }
    const code = await post(byHash('DossierStatus', { code: SQL_STRINGS[0] }), {}, url);
    expect(code.body).toMatchObject({ data: { dossierStatus: null } });
    await expectServing(gw.url);
    const normal = await post(byHash('DatasetSearch', { search: 'da nang' }), {}, url);
    expect(normal.body.errors).toBeUndefined();
  });
});

describe('nothing written', () => {
  it('every table of every source has the rows it had, and no bad request left an access-log entry', async () => {
    expect(withoutAccessLog(await rowCounts(gw.databases.connections))).toEqual(withoutAccessLog(countsBefore));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log where request_id = any(${badRequestIds})`.execute(
      gw.databases.connections.sources.audit.root,
    );
    expect(badRequestIds.length).toBeGreaterThan(100);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('rate limit', () => {
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startTestGateway('tiny', { RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => limited?.close());

  const bearerOf = async (subject: string) => ({ authorization: `Bearer ${await mintDevToken(limited.databases.config.auth, { role: 'analyst', subject })}` });

  it('the 6th request of one subject in a minute: 429, Retry-After, a coded error; another subject passes', async () => {
    const first = await bearerOf('rate-limited-subject-a');
    for (let i = 0; i < 5; i += 1) {
      const answer = await post({ query: NORMAL }, first, limited.url);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    const sixth = await post({ query: NORMAL }, first, limited.url);
    expect(sixth.status).toBe(429);
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sixth.body.errors).toHaveLength(1);
    expect(sixth.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'RATE_LIMITED' });
    expect(sixth.body.errors![0]!.message).toMatch(/Rate limit of 5 requests per minute/);
    expectNoLeak(sixth);

    const other = await post({ query: NORMAL }, await bearerOf('rate-limited-subject-b'), limited.url);
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
    // Anonymous callers are counted by address, apart from the subjects.
    const anonymous = await post({ query: NORMAL }, {}, limited.url);
    expect(anonymous.status).toBe(200);
    // Still refused: the refusal is not reset by other callers.
    expect((await post({ query: NORMAL }, first, limited.url)).status).toBe(429);
  });
});
