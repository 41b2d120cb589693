/**
 * List arguments cost their length, inline or in variables, and one request looks up a bounded
 * number of objects by global id (issue 13, L2). Refusals come before anything runs: HTTP 400,
 * QUERY_TOO_COMPLEX naming the limit, not one SQL statement.
 */
import { readFileSync } from 'node:fs';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';
import { startGateway } from '../../src/server/gateway.js';
import { MAX_LIST_ITEMS, requestCost } from '../../src/server/limits.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';

const LIMITS = loadConfig({}).limits;

let gw: TestGateway;
let schema: GraphQLSchema;
/** Ids of agencies that exist: looking them up costs real work. */
let agencyIds: string[];

beforeAll(async () => {
  gw = await startTestGateway();
  schema = await buildGatewaySchema({ guardPersonalData: true });
  const data = (await gw.query<{ agencies: { edges: Array<{ node: { id: string } }> } }>('{ agencies(first: 100) { edges { node { id } } } }')).data!;
  agencyIds = data.agencies.edges.map((e) => e.node.id);
  expect(agencyIds.length).toBeGreaterThan(5);
});
afterAll(async () => gw?.close());

/** `n` ids of existing agencies, repeated as needed. */
const ids = (n: number) => Array.from({ length: n }, (_, i) => agencyIds[i % agencyIds.length]!);

function expectTooComplex(res: GraphQLResponse, message: RegExp): void {
  expect(res.status).toBe(400);
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(res.errors![0]!.message).toMatch(message);
  expect(res.data).toBeUndefined();
  // Refused before execution: nothing was read.
  expect(res.extensions?.sqlStatements?.total ?? 0).toBe(0);
}

const costOf = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  return requestCost(schema, document, getOperationAST(document)!, variables);
};

describe('the cost of a request, with its variables', () => {
  it('a list argument costs its length, the same inline and in variables', () => {
    const three = ids(3);
    const inline = costOf(`{ nodes(ids: ${JSON.stringify(three)}) { id } }`);
    const variables = costOf('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: three });
    // 3 objects × (2 + 1 for id) + 3 list items.
    expect(inline).toEqual({ cost: 12, nodeLookups: 3 });
    expect(variables).toEqual(inline);
    expect(costOf('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(30) })).toEqual({ cost: 120, nodeLookups: 30 });
  });

  it('page sizes in variables count like inline ones, and an absent one counts the default page', () => {
    const query = 'query($n: Int) { agencies(first: $n) { edges { node { code } } } }';
    expect(costOf(query, { n: 100 })).toEqual(costOf('{ agencies(first: 100) { edges { node { code } } } }'));
    expect(costOf(query, { n: 100 }).cost).toBe(100 * costOf(query, { n: 1 }).cost);
    expect(costOf(query, {})).toEqual(costOf('{ agencies(first: 20) { edges { node { code } } } }'));
  });

  it('an enum list in a filter costs its items', () => {
    const query = 'query($s: [DossierStatus!]) { dossiers(filter: { status: $s }) { totalCount } }';
    expect(costOf(query, { s: ['RECEIVED', 'PROCESSING'] }).cost - costOf(query, {}).cost).toBe(2);
  });

  it('node look-ups add up over aliases and fragments, each fragment priced once however often it is spread', () => {
    const query = `query($ids: [ID!]!) { ...F ...F a: node(id: "x") { id } }
      fragment F on Query { b: nodes(ids: $ids) { id } c: nodes(ids: $ids) { id } }`;
    expect(costOf(query, { ids: ids(10) }).nodeLookups).toBe(2 * 2 * 10 + 1);
    // Fragments that spread each other twice at each of 12 levels: 4,096 walks if not memoized.
    const levels = Array.from({ length: 12 }, (_, i) => `fragment L${i} on Query { ...L${i + 1} ...L${i + 1} }`).join(' ');
    const deep = costOf(`{ ...L0 } ${levels} fragment L12 on Query { node(id: "x") { id } }`);
    expect(deep.nodeLookups).toBe(2 ** 12);
  });

  it('planned once per document, priced again with each request’s variables', () => {
    // One parsed document, as Apollo's document store hands it to every request of its text.
    const document = parse('query($ids: [ID!]!, $n: Int) { nodes(ids: $ids) { id } agencies(first: $n) { totalCount } fixed: agencies(first: 3) { totalCount } }');
    const operation = getOperationAST(document)!;
    const of = (variables: Record<string, unknown>) => requestCost(schema, document, operation, variables);
    expect(of({ ids: ids(3), n: 1 })).toEqual({ cost: 3 * 3 + 3 + 1 * 3 + 3 * 3, nodeLookups: 3 });
    expect(of({ ids: ids(30), n: 10 })).toEqual({ cost: 30 * 3 + 30 + 10 * 3 + 3 * 3, nodeLookups: 30 });
    expect(() => of({ ids: ids(MAX_LIST_ITEMS + 1) })).toThrow(/List limit of 100 items exceeded: nodes\(ids:\) has 101/);
    expect(of({ ids: ids(3), n: 1 })).toEqual({ cost: 3 * 3 + 3 + 1 * 3 + 3 * 3, nodeLookups: 3 });
    // A fresh answer each time: a caller may change what it is given.
    const first = of({ ids: ids(1) });
    first.cost = 0;
    expect(of({ ids: ids(1) }).cost).not.toBe(0);
  });

  it('an inline list over the limit is refused at its place in the walk, before a later one in variables', () => {
    const inline = JSON.stringify(ids(MAX_LIST_ITEMS + 2));
    const query = `query($ids: [ID!]!) { a: nodes(ids: ${inline}) { id } b: nodes(ids: $ids) { id } }`;
    expect(() => costOf(query, { ids: ids(MAX_LIST_ITEMS + 1) })).toThrow(/has 102/);
    const later = `query($ids: [ID!]!) { b: nodes(ids: $ids) { id } a: nodes(ids: ${inline}) { id } }`;
    expect(() => costOf(later, { ids: ids(MAX_LIST_ITEMS + 1) })).toThrow(/has 101/);
  });

  it('every trusted document, with its page sizes at the maximum, is within the limits', () => {
    const documents = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
    for (const text of Object.values(documents)) {
      const document = parse(text);
      const operation = getOperationAST(document)!;
      const variables = Object.fromEntries((operation.variableDefinitions ?? []).filter((d) => /first$/i.test(d.variable.name.value)).map((d) => [d.variable.name.value, 100]));
      const cost = requestCost(schema, document, operation, variables);
      expect(cost.cost, operation.name?.value).toBeLessThanOrEqual(LIMITS.maxCost);
      expect(cost.nodeLookups, operation.name?.value).toBeLessThanOrEqual(LIMITS.maxNodeLookups);
    }
  });
});

describe('through the gateway', () => {
  const aliased = (count: number) => `query($ids: [ID!]!) { ${Array.from({ length: count }, (_, i) => `a${i}: nodes(ids: $ids) { id ... on Agency { code name } }`).join(' ')} }`;

  it('30 aliases × 100 ids in variables (the reproduction): refused, the look-up limit named', async () => {
    const res = await gw.query(aliased(30), { ids: ids(100) });
    expectTooComplex(res, new RegExp(`^Node lookups limit of ${LIMITS.maxNodeLookups} exceeded, found 3000 \\(MAX_NODE_LOOKUPS\\)$`));
  });

  it('the same ids inline: refused alike', async () => {
    const list = JSON.stringify(ids(100));
    const query = `{ ${Array.from({ length: 3 }, (_, i) => `a${i}: nodes(ids: ${list}) { id }`).join(' ')} }`;
    expectTooComplex(await gw.query(query), /^Node lookups limit of \d+ exceeded, found 300 \(MAX_NODE_LOOKUPS\)$/);
  });

  it('node(id) fields count too: the limit holds for the whole request', async () => {
    const atLimit = LIMITS.maxNodeLookups / 100;
    const served = await gw.query<Record<string, Array<{ id: string } | null>>>(aliased(atLimit), { ids: ids(100) });
    expect(served.errors).toBeUndefined();
    expect(Object.values(served.data!).flat()).toHaveLength(LIMITS.maxNodeLookups);
    const oneMore = await gw.query(`query($ids: [ID!]!, $one: ID!) { extra: node(id: $one) { id } ${aliased(atLimit).slice('query($ids: [ID!]!) { '.length)}`, { ids: ids(100), one: ids(1)[0] });
    expectTooComplex(oneMore, new RegExp(`found ${LIMITS.maxNodeLookups + 1} \\(MAX_NODE_LOOKUPS\\)$`));
  });

  it('a list argument over the list limit is refused, in variables or inline, in nodes or in a filter', async () => {
    const many = Array.from({ length: MAX_LIST_ITEMS + 1 }, () => 'RECEIVED');
    const statuses = await gw.query('query($s: [DossierStatus!]) { dossiers(filter: { status: $s }) { totalCount } }', { s: many });
    expectTooComplex(statuses, /^List limit of 100 items exceeded: dossiers\(filter:\) has 101 \(MAX_LIST_ITEMS\)$/);
    const inline = await gw.query(`{ dossiers(filter: { status: [${many.join(', ')}] }) { totalCount } }`);
    expectTooComplex(inline, /^List limit of 100 items exceeded/);
    const nodes = await gw.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(MAX_LIST_ITEMS + 1) });
    expectTooComplex(nodes, /^List limit of 100 items exceeded: nodes\(ids:\) has 101/);
    // Within the limit the filter is served.
    const fine = await gw.query<{ dossiers: { totalCount: number } }>('query($s: [DossierStatus!]) { dossiers(filter: { status: $s }) { totalCount } }', { s: ['RECEIVED', 'PROCESSING'] });
    expect(fine.errors).toBeUndefined();
  });

  it('page sizes passed in variables are priced: 100 × 100 × 100 items through $n is refused by the cost limit', async () => {
    const query = 'query($n: Int) { agencies(first: $n) { edges { node { datasets(first: $n) { edges { node { resources(first: $n) { edges { node { url } } } } } } } } } }';
    expectTooComplex(await gw.query(query, { n: 100 }), new RegExp(`^Query Cost limit of ${LIMITS.maxCost} exceeded, found \\d+ \\(MAX_QUERY_COST\\)$`));
    const small = await gw.query(query, { n: 2 });
    expect(small.errors).toBeUndefined();
  });

  it('a configured look-up limit is the one enforced and named', async () => {
    const strict = await startGateway(loadConfig({ ...gw.databases.env, MAX_NODE_LOOKUPS: '5' }), { port: 0, connections: gw.databases.connections });
    const query = async (n: number): Promise<GraphQLResponse> => {
      const body = JSON.stringify({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: n }, () => toGlobalId('Agency', 1)) } });
      const response = await fetch(strict.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, ...((await response.json()) as object) };
    };
    try {
      expectTooComplex(await query(6), /^Node lookups limit of 5 exceeded, found 6 \(MAX_NODE_LOOKUPS\)$/);
      expect((await query(5)).errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});
