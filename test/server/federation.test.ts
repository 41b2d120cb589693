/**
 * The gateway as a Federation 2 subgraph (issue 16): composed with a department's subgraph (the
 * social affairs office's, which extends Citizen) by @apollo/composition, run through
 * @apollo/gateway. Real HTTP servers on free ports: the gateway in production mode (router token,
 * identity provider), the department's subgraph and the router. Checked: a query across both
 * subgraphs, the caller's Authorization, X-Purpose and X-Case-Reference reaching the gateway
 * through the router, the entries in the access log, and what /subgraph accepts in production.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, getOperationAST, Kind, parse, print, printType, type GraphQLSchema } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalCriteria, personalDataTypes, personalFields } from '../../src/access/graphql/personal.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { buildGatewaySchema, NODE_TYPES } from '../../src/modules/schema.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import { EXAMPLE_SEED, exampleIdentities } from '../../src/seed/examples.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { requestCost } from '../../src/server/limits.js';
import { buildGatewaySubgraphSchema } from '../../src/server/subgraph/schema.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';

const ROUTER_TOKEN = 'federation-test-router-token-0123456789abcdef';
const ids = exampleIdentities(EXAMPLE_SEED, 'tiny');
const citizenId = toGlobalId('Citizen', ids.citizen.id);

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
}

async function post(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const subgraphUrl = (gateway: RunningGateway) => gateway.url.replace(/\/graphql$/, '/subgraph');

// ---------------------------------------------------------------------------------------------
// The department's subgraph: social support cases, keyed to citizens by the gateway's global id
// ---------------------------------------------------------------------------------------------

const DEPARTMENT_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "A social support case by its reference."
    socialSupportCase(reference: String!): SocialSupportCase
  }

  "A case of the social affairs office."
  type SocialSupportCase {
    reference: String!
    programme: String!
    beneficiary: Citizen
  }

  type Citizen @key(fields: "id") {
    id: ID!
    "The citizen's open social support case, if any."
    socialSupport: SocialSupportCase
  }
`);

const CASE = { reference: 'BTXH-2026-0042', programme: 'Trợ cấp xã hội hằng tháng', beneficiaryId: citizenId };

async function startDepartment(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: DEPARTMENT_SDL,
      resolvers: {
        Query: { socialSupportCase: (_: unknown, { reference }: { reference: string }) => (reference === CASE.reference ? CASE : null) },
        SocialSupportCase: { beneficiary: (c: typeof CASE) => ({ __typename: 'Citizen', id: c.beneficiaryId }) },
        Citizen: {
          __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
          socialSupport: (citizen: { id: string }) => (citizen.id === CASE.beneficiaryId ? CASE : null),
        },
      } as never,
    }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

// ---------------------------------------------------------------------------------------------
// The router: the supergraph composed from both SDLs, the caller's headers forwarded
// ---------------------------------------------------------------------------------------------

/** What the router forwards to every subgraph: who asks and why (and, to correlate logs, the request id). */
const FORWARDED = ['authorization', 'x-purpose', 'x-case-reference', 'x-request-id'] as const;

async function startRouter(supergraphSdl: string, routerToken: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ headers: Record<string, string | string[] | undefined> }>({
        url,
        willSendRequest({ request, context }) {
          for (const name of FORWARDED) {
            const value = context.headers?.[name];
            if (typeof value === 'string') request.http?.headers.set(name, value);
          }
          request.http?.headers.set('x-router-token', routerToken);
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: async ({ req }) => ({ headers: req.headers }) });
  return { url, stop: () => server.stop() };
}

let databases: SeededDatabases;
let idp: IdentityProvider;
let gateway: RunningGateway;
let closedGateway: RunningGateway;
let department: Awaited<ReturnType<typeof startDepartment>>;
let router: Awaited<ReturnType<typeof startRouter>>;
let supergraphSdl: string;

const officer = async (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${await idp.token({ sub: 'officer-federation', role: 'officer', agency: ids.officerAgency.code })}`, ...headers });
const withPurpose = { 'x-purpose': 'DOSSIER_PROCESSING', 'x-case-reference': ids.caseReference };

beforeAll(async () => {
  idp = await startIdentityProvider();
  databases = await seededDatabases('tiny');
  const production = { ...databases.env, NODE_ENV: 'production', ...idp.env, CURSOR_SECRET: 'federation-test-cursor-secret-0123456789abcdef' };
  const shared = { port: 0, connections: databases.connections };
  gateway = await startGateway(loadConfig({ ...production, SUBGRAPH_ROUTER_TOKEN: ROUTER_TOKEN }), shared);
  closedGateway = await startGateway(loadConfig(production), shared);
  department = await startDepartment();
  // As a router's pipeline does (rover subgraph introspect): the gateway's SDL from `_service`.
  const service = await post(subgraphUrl(gateway), { query: '{ _service { sdl } }' }, { 'x-router-token': ROUTER_TOKEN });
  const citySdl = (service.body.data?._service as { sdl: string }).sdl;
  const composed = composeServices([
    { name: 'city', typeDefs: parse(citySdl), url: subgraphUrl(gateway) },
    { name: 'social', typeDefs: DEPARTMENT_SDL, url: department.url },
  ]);
  expect(composed.errors, String(composed.errors)).toBeUndefined();
  supergraphSdl = composed.supergraphSdl!;
  router = await startRouter(supergraphSdl, ROUTER_TOKEN);
});

afterAll(async () => {
  await router?.stop();
  await department?.stop();
  await gateway?.close();
  await closedGateway?.close();
  await databases?.close();
  await idp?.close();
});

/** The citizen as the population source holds them. */
async function citizenRow() {
  const { rows } = await sql<{ full_name: string; phone: string; national_id: string }>`
    select full_name, phone, national_id from population.citizens where id = ${ids.citizen.id}`.execute(databases.connections.sources.population.root);
  return rows[0]!;
}

async function entriesOf(requestId: string) {
  const { rows } = await sql<{ subject_type: string; subject_id: string; fields: string[]; outcome: string; purpose: string | null; case_reference: string | null; actor_role: string }>`
    select subject_type, subject_id, fields, outcome, purpose, case_reference, actor_role from audit.access_log where request_id = ${requestId} order by id`.execute(
    databases.connections.sources.audit.root,
  );
  return rows.map((r) => ({ ...r, fields: [...r.fields].sort() }));
}

const SUPPORT_CASE = `query SupportCase($reference: String!) { socialSupportCase(reference: $reference) { reference programme beneficiary { fullName phone nationalId } } }`;
const READ_CITIZEN = `query($id: ID!) { node(id: $id) { ... on Citizen { fullName phone nationalId } } }`;
const CITIZEN_WITH_SUPPORT = `query CitizenWithSupport($id: ID!) { node(id: $id) { ... on Citizen { fullName socialSupport { reference programme } } } }`;

describe('the schema as a Federation 2 subgraph', () => {
  let schema: GraphQLSchema;
  let subgraph: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
    subgraph = buildGatewaySubgraphSchema(schema, NODE_TYPES.keys(), { maxRepresentations: 200 });
  });

  it('_service.sdl links federation v2 and keys every node type by id, and only those', async () => {
    const answer = await post(subgraphUrl(gateway), { query: '{ _service { sdl } }' }, { 'x-router-token': ROUTER_TOKEN });
    const sdl = (answer.body.data?._service as { sdl: string }).sdl;
    expect(sdl).toMatch(/extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key"\]\)/);
    const keys = parse(sdl).definitions.flatMap((d) =>
      'directives' in d && 'name' in d ? (d.directives ?? []).filter((k) => k.name.value === 'key').map((k) => [d.kind, d.name!.value, print(k)]) : [],
    );
    expect(keys.sort()).toEqual([...NODE_TYPES.keys()].map((name) => [Kind.OBJECT_TYPE_DEFINITION, name, '@key(fields: "id")']).sort());
  });

  it('serves every type of /graphql unchanged but Subscription (WebSocket on /graphql only), with the same personal-data declarations', () => {
    const subscription = schema.getSubscriptionType()?.name;
    expect(subgraph.getSubscriptionType()).toBeUndefined();
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || type.name === subscription) continue;
      const copy = subgraph.getType(type.name);
      expect(copy, type.name).toBeDefined();
      if (type.name === 'Query') continue; // the subgraph's Query adds _entities and _service
      expect(printType(copy!), type.name).toBe(printType(type));
    }
    expect(Object.keys(subgraph.getQueryType()!.getFields()).sort()).toEqual([...Object.keys(schema.getQueryType()!.getFields()), '_entities', '_service'].sort());
    expect(personalFields(subgraph)).toEqual(personalFields(schema));
    expect(personalFields(schema).length).toBeGreaterThan(0);
    expect([...personalDataTypes(subgraph)]).toEqual([...personalDataTypes(schema)]);
    expect([...personalCriteria(subgraph)]).toEqual([...personalCriteria(schema)]);
    for (const [name, field] of Object.entries(schema.getQueryType()!.getFields())) expect(subgraph.getQueryType()!.getFields()[name]!.extensions, name).toEqual(field.extensions);
  });

  it('composes with a department subgraph that extends Citizen', () => {
    expect(supergraphSdl).toMatch(/join__graph\(name: "city"/);
    expect(supergraphSdl).toMatch(/join__graph\(name: "social"/);
    expect(supergraphSdl).toMatch(/socialSupport: SocialSupportCase @join__field\(graph: SOCIAL\)/);
  });
});

describe('through the router', () => {
  it('an officer of the case agency with X-Purpose and X-Case-Reference: the case from the department, the citizen from the gateway (its _entities)', async () => {
    const requestId = 'federation-entities-purpose';
    const answer = await post(router.url, { query: SUPPORT_CASE, variables: { reference: CASE.reference } }, await officer({ ...withPurpose, 'x-request-id': requestId }));
    const row = await citizenRow();
    expect(answer.body.errors).toBeUndefined();
    // The citizen as the gateway itself shows them to this caller (node(id) on /subgraph, not through the router).
    const direct = await post(subgraphUrl(gateway), { query: READ_CITIZEN, variables: { id: citizenId } }, await officer({ ...withPurpose, 'x-router-token': ROUTER_TOKEN }));
    const shown = direct.body.data?.node as { fullName: string; phone: string; nationalId: string };
    expect([shown.fullName, shown.nationalId, shown.phone.slice(-9)]).toEqual([row.full_name, row.national_id, row.phone.slice(-9)]);
    expect(answer.body.data).toEqual({ socialSupportCase: { reference: CASE.reference, programme: CASE.programme, beneficiary: shown } });
    // Written before the gateway answered the router: one entry, with the purpose and case forwarded.
    expect(await entriesOf(requestId)).toEqual([
      { subject_type: 'CITIZEN', subject_id: String(ids.citizen.id), fields: ['fullName', 'nationalId', 'phone'], outcome: 'GRANTED', purpose: 'DOSSIER_PROCESSING', case_reference: ids.caseReference, actor_role: 'officer' },
    ]);
  });

  it('the same officer without X-Purpose: name only, phone and national id refused as on /graphql, and the refusals logged', async () => {
    const requestId = 'federation-entities-no-purpose';
    const answer = await post(router.url, { query: SUPPORT_CASE, variables: { reference: CASE.reference } }, await officer({ 'x-request-id': requestId }));
    const row = await citizenRow();
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ socialSupportCase: { reference: CASE.reference, programme: CASE.programme, beneficiary: { fullName: row.full_name, phone: null, nationalId: null } } });
    expect((answer.body.errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code]).sort()).toEqual([
      ['socialSupportCase.beneficiary.nationalId', 'FORBIDDEN'],
      ['socialSupportCase.beneficiary.phone', 'FORBIDDEN'],
    ]);
    const entries = await entriesOf(requestId);
    expect(entries.map((e) => [e.subject_id, e.fields, e.outcome, e.purpose]).sort()).toEqual([
      [String(ids.citizen.id), ['fullName'], 'GRANTED', null],
      [String(ids.citizen.id), ['nationalId', 'phone'], 'DENIED', null],
    ]);
  });

  it('without a token: the gateway finds no citizen (public scope), the case is still served', async () => {
    const requestId = 'federation-entities-public';
    const answer = await post(router.url, { query: SUPPORT_CASE, variables: { reference: CASE.reference } }, { 'x-request-id': requestId });
    expect(answer.body.errors).toBeUndefined();
    // The router keeps the department's reference; the gateway's _entities answers null for it, as node(id) does: nothing of the citizen.
    expect(answer.body.data).toEqual({ socialSupportCase: { reference: CASE.reference, programme: CASE.programme, beneficiary: { fullName: null, phone: null, nationalId: null } } });
    expect(await entriesOf(requestId)).toEqual([]);
  });

  it('from the gateway to the department: node(id) on the city subgraph, socialSupport from the department', async () => {
    const answer = await post(router.url, { query: CITIZEN_WITH_SUPPORT, variables: { id: citizenId } }, await officer(withPurpose));
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ node: { fullName: (await citizenRow()).full_name, socialSupport: { reference: CASE.reference, programme: CASE.programme } } });
  });
});

describe('what /subgraph accepts in production', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { fullName } } }`;
  const representations = [{ __typename: 'Citizen', id: citizenId }];

  it('with the router token: any document (a router plans its own), under the caller’s token and purpose', async () => {
    const answer = await post(subgraphUrl(gateway), { query: ENTITIES, variables: { r: representations } }, await officer({ ...withPurpose, 'x-router-token': ROUTER_TOKEN }));
    expect(answer.body).toEqual({ data: { _entities: [{ fullName: (await citizenRow()).full_name }] } });
  });

  it('the same document on /graphql is refused: only trusted documents run there', async () => {
    const answer = await post(gateway.url, { query: `{ node(id: ${JSON.stringify(citizenId)}) { id } }` }, await officer(withPurpose));
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('without the router token, or with a wrong one: 401 UNAUTHENTICATED before anything runs', async () => {
    for (const headers of [{}, { 'x-router-token': `${ROUTER_TOKEN}x` }, { authorization: `Bearer ${ROUTER_TOKEN}` }] as Record<string, string>[]) {
      const answer = await post(subgraphUrl(gateway), { query: ENTITIES, variables: { r: representations } }, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(answer.body.data).toBeUndefined();
    }
  });

  it('without SUBGRAPH_ROUTER_TOKEN configured: not served at all (404)', async () => {
    const answer = await post(subgraphUrl(closedGateway), { query: '{ _service { sdl } }' }, { 'x-router-token': ROUTER_TOKEN });
    expect(answer.status).toBe(404);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('more than 100 representations in one request: QUERY_TOO_COMPLEX (MAX_LIST_ITEMS, as any list argument), nothing run', async () => {
    const many = Array.from({ length: 101 }, () => representations[0]);
    const answer = await post(subgraphUrl(gateway), { query: ENTITIES, variables: { r: many } }, await officer({ ...withPurpose, 'x-router-token': ROUTER_TOKEN }));
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((e) => [e.extensions?.code, /MAX_LIST_ITEMS/.test(e.message)])).toEqual([['QUERY_TOO_COMPLEX', true]]);
  });

  it('more representations than MAX_NODE_LOOKUPS: QUERY_TOO_COMPLEX before any is resolved', async () => {
    const schema = buildGatewaySubgraphSchema(await buildGatewaySchema(), NODE_TYPES.keys(), { maxRepresentations: 2 });
    // No context at all: resolving a single reference would fail differently.
    const result = await execute({ schema, document: parse(ENTITIES), variableValues: { r: [...representations, ...representations, ...representations] }, contextValue: {} });
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['QUERY_TOO_COMPLEX', 'Node lookups limit of 2 exceeded, found 3 (MAX_NODE_LOOKUPS)']]);
  });

  it('SUBGRAPH_ROUTER_TOKEN is read by loadConfig: a malformed one is a configuration error; none (or empty) leaves it unset', () => {
    expect(() => loadConfig({ SUBGRAPH_ROUTER_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ SUBGRAPH_ROUTER_TOKEN: 'short' })).toThrow('SUBGRAPH_ROUTER_TOKEN must be 32 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -');
    expect(() => loadConfig({ SUBGRAPH_ROUTER_TOKEN: `${ROUTER_TOKEN} with spaces` })).toThrow(ConfigError);
    expect(loadConfig({}).subgraph).toEqual({});
    expect(loadConfig({ SUBGRAPH_ROUTER_TOKEN: '' }).subgraph).toEqual({});
    expect(loadConfig({ SUBGRAPH_ROUTER_TOKEN: ROUTER_TOKEN }).subgraph).toEqual({ routerToken: ROUTER_TOKEN });
  });
});

describe('the cost limit counts _entities as it counts nodes(ids:)', () => {
  const MAX = loadConfig({}).limits.maxNodeLookups;
  const router = { 'x-router-token': ROUTER_TOKEN };
  /** Public references (agencies): no personal data, so any caller resolves them. */
  const agencyIds = (n: number) => Array.from({ length: n }, (_, i) => toGlobalId('Agency', 1 + (i % 20)));
  const agencies = (n: number) => agencyIds(n).map((id) => ({ __typename: 'Agency', id }));
  const aliased = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field} { ... on Agency { code } }`).join(' ');
  const entities = (count: number) => `query($r: [_Any!]!) { ${aliased(count, '_entities(representations: $r)')} }`;
  const nodes = (count: number) => `query($ids: [ID!]!) { ${aliased(count, 'nodes(ids: $ids)')} }`;

  it('priced as nodes(ids:): one look-up and one selection per representation, in variables or inline', async () => {
    const subgraph = buildGatewaySubgraphSchema(await buildGatewaySchema(), NODE_TYPES.keys(), { maxRepresentations: MAX });
    const costOf = (query: string, variables?: Record<string, unknown>) => {
      const document = parse(query);
      return requestCost(subgraph, document, getOperationAST(document)!, variables);
    };
    const asNodes = costOf('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Agency { code name } } }', { ids: agencyIds(3) });
    expect(asNodes).toEqual({ cost: 3 * (2 + 3) + 3, nodeLookups: 3 });
    expect(costOf('query($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { id code name } } }', { r: agencies(3) })).toEqual(asNodes);
    expect(costOf(`{ _entities(representations: ${JSON.stringify(agencies(3)).replace(/"([a-z_]+)":/gi, '$1:')}) { ... on Agency { id code name } } }`)).toEqual(asNodes);
    // Within one request the two add up, as node(id) and nodes(ids:) do.
    expect(costOf('query($r: [_Any!]!, $ids: [ID!]!) { _entities(representations: $r) { __typename } nodes(ids: $ids) { id } }', { r: agencies(7), ids: agencyIds(5) }).nodeLookups).toBe(12);
  });

  it('over MAX_NODE_LOOKUPS across _entities fields: refused before it runs, exactly as an over-limit nodes(ids:) is', async () => {
    const over = (query: string, variables: Record<string, unknown>) => post(subgraphUrl(gateway), { query, variables }, router);
    const refusal = (answer: Answer) => ({ status: answer.status, data: answer.body.data, errors: answer.body.errors?.map((e) => [e.extensions?.code, e.message]) });
    const expected = { status: 400, data: undefined, errors: [['QUERY_TOO_COMPLEX', `Node lookups limit of ${MAX} exceeded, found ${3 * 100} (MAX_NODE_LOOKUPS)`]] };
    // Each field alone is within the limit (100 ≤ MAX): only the request's total is over.
    expect(refusal(await over(nodes(3), { ids: agencyIds(100) }))).toEqual(expected);
    expect(refusal(await over(entities(3), { r: agencies(100) }))).toEqual(expected);
    // Mixed with nodes(ids:) and node(id): the same single count.
    const mixed = `query($r: [_Any!]!, $ids: [ID!]!) { e: _entities(representations: $r) { __typename } n: nodes(ids: $ids) { id } one: node(id: ${JSON.stringify(agencyIds(1)[0])}) { id } }`;
    expect(refusal(await over(mixed, { r: agencies(100), ids: agencyIds(100) }))).toEqual({ ...expected, errors: [['QUERY_TOO_COMPLEX', `Node lookups limit of ${MAX} exceeded, found ${100 + 100 + 1} (MAX_NODE_LOOKUPS)`]] });
  });

  it('at MAX_NODE_LOOKUPS: served, every representation resolved', async () => {
    const count = MAX / 100;
    const answer = await post(subgraphUrl(gateway), { query: entities(count), variables: { r: agencies(100) } }, router);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const resolved = Object.values(answer.body.data ?? {}).flat() as Array<{ code?: string } | null>;
    expect(resolved).toHaveLength(MAX);
    expect(resolved.every((agency) => typeof agency?.code === 'string')).toBe(true);
  });
});
