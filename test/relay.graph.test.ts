import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../src/auth/tokens.js';
import { toGlobalId } from '../src/platform/relay/global-id.js';
import { getNamedType, isEnumType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildGatewaySchema, NODE_TYPES } from '../src/modules/schema.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';
import { nodeSamples, moduleSamples } from './support/samples/index.js';

let gw: TestGateway;
/** Admin with a declared purpose: sees every object and every field. */
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  admin = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
});
afterAll(async () => gw?.close());

function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const encode = (text: string) => Buffer.from(text).toString('base64url');

/** What identifies one object of each node type (declared by its source: test/modules/<source>/samples.ts). */
const IDENTIFYING: Record<string, string> = Object.fromEntries([...(await nodeSamples())].map(([type, s]) => [type, s.identifying]));
/** The schema the gateway serves: where the lists to find samples in, and the ordered lists, are read. */
const schema: GraphQLSchema = await buildGatewaySchema({ guardPersonalData: true });

type Sample = Record<string, unknown> & { id: string };
interface Edges<N> {
  edges: Array<{ node: N }>;
}

/** The node type of a connection field (`…Connection.edges.node`), if it is one. */
function nodeTypeOf(field: GraphQLField<unknown, unknown>): GraphQLObjectType | undefined {
  const connection = getNamedType(field.type);
  const edges = isObjectType(connection) ? connection.getFields().edges : undefined;
  const edge = edges ? getNamedType(edges.type) : undefined;
  const node = edge && isObjectType(edge) ? edge.getFields().node : undefined;
  const named = node ? getNamedType(node.type) : undefined;
  return named && isObjectType(named) ? named : undefined;
}

/** A list to page through with no more than `first`: none of its arguments is required. */
const isList = (field: GraphQLField<unknown, unknown>) => nodeTypeOf(field) !== undefined && field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);

/** The lists of a type: field name → node type. */
const listsOf = (type: GraphQLObjectType) => Object.values(type.getFields()).filter(isList);

/**
 * One object of every node type, found through the ordinary root fields: the first of a root
 * list of the type, or, for a type listed only under another (a dataset's resources), the first
 * child of the first of ten parents that has one. Which lists: read from the served schema.
 */
async function samples(): Promise<Record<string, Sample>> {
  const roots = listsOf(schema.getQueryType()!);
  const selections: string[] = [];
  const pick: Array<(data: Record<string, unknown>) => [string, Sample]> = [];
  for (const type of Object.keys(IDENTIFYING)) {
    const direct = roots.find((f) => nodeTypeOf(f)!.name === type);
    const alias = `s${selections.length}`;
    if (direct) {
      selections.push(`${alias}: ${direct.name}(first: 1) { edges { node { id ${IDENTIFYING[type]} } } }`);
      pick.push((data) => [type, (data[alias] as Edges<Sample>).edges[0]!.node]);
      continue;
    }
    const parent = roots.find((f) => listsOf(nodeTypeOf(f)!).some((inner) => nodeTypeOf(inner)!.name === type));
    expect(parent, `${type}: no root list, nor a list under a root list's objects, finds one`).toBeDefined();
    const inner = listsOf(nodeTypeOf(parent!)!).find((f) => nodeTypeOf(f)!.name === type)!;
    selections.push(`${alias}: ${parent!.name}(first: 10) { edges { node { id children: ${inner.name}(first: 1) { edges { node { id ${IDENTIFYING[type]} } } } } } }`);
    pick.push((data) => {
      const parents = (data[alias] as Edges<{ children: Edges<Sample> }>).edges;
      return [type, parents.find((e) => e.node.children.edges.length > 0)!.node.children.edges[0]!.node];
    });
  }
  const data = ok(await gw.query<Record<string, unknown>>(`{ ${selections.join('\n')} }`, undefined, admin));
  return Object.fromEntries(pick.map((p) => p(data)));
}

describe('node(id)', () => {
  it('every type implementing Node is registered for node(id), and only those', async () => {
    const data = ok(await gw.query<{ __type: { possibleTypes: Array<{ name: string }> } }>(`{ __type(name: "Node") { possibleTypes { name } } }`));
    const implementers = data.__type.possibleTypes.map((t) => t.name).sort();
    expect(implementers).toEqual([...NODE_TYPES.keys()].sort());
    expect(implementers).toEqual(Object.keys(IDENTIFYING).sort());
    // Each is found through the root lists, with what identifies it.
    const found = await samples();
    expect(Object.keys(found).sort()).toEqual(implementers);
    for (const [type, sample] of Object.entries(found)) for (const field of IDENTIFYING[type]!.split(' ')) expect(sample[field], `${type}.${field}`).toBeDefined();
  });

  it.each(Object.keys(IDENTIFYING))('refetches a %s by its global id, as the right type and the same object', async (typeName) => {
    const sample = (await samples())[typeName]!;
    expect(Buffer.from(sample.id, 'base64url').toString('utf8')).toMatch(new RegExp(`^${typeName}:[1-9][0-9]*$`));
    const data = ok(
      await gw.query<{ node: Record<string, unknown> }>(
        `query($id: ID!) { node(id: $id) { __typename id ... on ${typeName} { ${IDENTIFYING[typeName]} } } }`,
        { id: sample.id },
        admin,
      ),
    );
    expect(data.node).toEqual({ __typename: typeName, ...sample });
  });

  it('answers null, without an error, for a malformed id, an unknown type or a missing object', async () => {
    const query = `query($id: ID!) { node(id: $id) { __typename id } }`;
    for (const id of ['', 'not-a-global-id', encode('Citizen:abc'), encode('Citizen:0'), encode('Spaceship:1'), encode('DossierEvent:1'), toGlobalId('Citizen', 99_999_999)]) {
      const res = await gw.query<{ node: unknown }>(query, { id }, admin);
      expect(res.errors, id).toBeUndefined();
      expect(res.data!.node, id).toBeNull();
    }
  });

  it('applies the caller’s scope: hidden objects answer null like missing ones', async () => {
    const s = await samples();
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;
    const ids = [s.Citizen!.id, s.Household!.id, s.Dossier!.id, s.Agency!.id, s.Business!.id];
    const open = await gw.query<{ nodes: Array<{ __typename: string } | null> }>(query, { ids });
    expect(open.errors).toBeUndefined();
    expect(open.data!.nodes.map((n) => n?.__typename ?? null)).toEqual([null, null, null, 'Agency', 'Business']);
  });
});

describe('node(id) beyond the integer range', () => {
  // Row ids are 32-bit: a larger one names no row (null from node) and is no valid filter id.
  it('answers an id beyond the row-id range with null in node(id) and BAD_USER_INPUT in filters', async () => {
    const huge = toGlobalId('Citizen', 2 ** 31);
    const node = await gw.query(`query($id: ID!) { node(id: $id) { id } }`, { id: huge }, admin);
    expect(node.errors).toBeUndefined();
    expect(node.data).toEqual({ node: null });
    const filter = await gw.query(`query($id: ID) { dossiers(filter: { applicantId: $id }) { totalCount } }`, { id: huge }, admin);
    expect(filter.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('nodes(ids)', () => {
  it('keeps the order asked, repeats a repeated id, and gives null for malformed, unknown and missing ids', async () => {
    const s = await samples();
    const types = Object.keys(IDENTIFYING);
    const bad = ['!!', encode('Spaceship:7'), toGlobalId('Dossier', 99_999_999), encode('Household:-1')];
    // The real ids in reverse type order, the bad ones interleaved, one id twice.
    const asked: Array<string | null> = [];
    [...types].reverse().forEach((type, i) => {
      asked.push(type);
      if (i < bad.length) asked.push(null);
    });
    let b = 0;
    const ids = asked.map((type) => (type ? s[type]!.id : bad[b++]!));
    ids.push(s.Citizen!.id);
    asked.push('Citizen');

    const data = ok(await gw.query<{ nodes: Array<{ __typename: string; id: string } | null> }>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids }, admin));
    expect(data.nodes).toEqual(ids.map((id, i) => (asked[i] ? { __typename: asked[i], id } : null)));
  });

  it('takes at most 100 ids: more are refused before anything runs (QUERY_TOO_COMPLEX naming the limit)', async () => {
    const s = await samples();
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
    const hundred = Array.from({ length: 100 }, (_, i) => (i % 2 ? s.Agency!.id : s.Procedure!.id));
    const fine = ok(await gw.query<{ nodes: Array<{ id: string }> }>(query, { ids: hundred }, admin));
    expect(fine.nodes.map((n) => n.id)).toEqual(hundred);
    const tooMany = await gw.query<{ nodes: unknown }>(query, { ids: [...hundred, s.Agency!.id] }, admin);
    expect(tooMany.status).toBe(400);
    expect(tooMany.errors!.map((e) => e.extensions!.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(tooMany.errors![0]!.message).toMatch(/^List limit of 100 items exceeded: nodes\(ids:\) has 101 \(MAX_LIST_ITEMS\)$/);
    expect(tooMany.data).toBeUndefined();
    expect(tooMany.extensions?.sqlStatements?.total ?? 0).toBe(0);
  });
});

describe('global ids in filters', () => {
  it('a global id of one type used as another type’s filter id is BAD_USER_INPUT', async () => {
    const s = await samples();
    const cases: Array<[string, Record<string, unknown>]> = [
      [`query($v: ID) { citizens(filter: { wardId: $v }) { totalCount } }`, { v: s.Agency!.id }],
      [`query($v: ID) { citizens(filter: { householdId: $v }) { totalCount } }`, { v: s.Citizen!.id }],
      [`query($v: ID) { citizens(filter: { districtId: $v }) { totalCount } }`, { v: s.Household!.id }],
      [`query($v: ID) { households(filter: { wardId: $v }) { totalCount } }`, { v: s.Household!.id }],
      [`query($v: ID) { businesses(filter: { districtId: $v }) { totalCount } }`, { v: s.Business!.id }],
      [`query($v: ID) { businesses(filter: { wardId: $v }) { totalCount } }`, { v: s.Citizen!.id }],
      [`query($v: ID) { dossiers(filter: { agencyId: $v }) { totalCount } }`, { v: s.Procedure!.id }],
      [`query($v: ID) { dossiers(filter: { procedureId: $v }) { totalCount } }`, { v: s.Agency!.id }],
      [`query($v: ID) { dossiers(filter: { applicantId: $v }) { totalCount } }`, { v: s.Agency!.id }],
      [`query($v: ID) { dossiers(filter: { applicantId: $v }) { totalCount } }`, { v: s.Household!.id }],
      [`query($v: ID) { dossiers(filter: { wardId: $v }) { totalCount } }`, { v: s.Dossier!.id }],
      [`query($v: ID) { procedures(filter: { agencyId: $v }) { totalCount } }`, { v: s.AdministrativeUnit!.id }],
      [`query($v: ID) { dossierStatistics(filter: { agencyId: $v }) { totals { total } } }`, { v: s.Dataset!.id }],
      [`query($v: ID) { agencies(filter: { unitId: $v }) { totalCount } }`, { v: s.Agency!.id }],
      [`query($v: ID) { datasets(filter: { publisherId: $v }) { totalCount } }`, { v: s.Indicator!.id }],
      [`query($v: ID) { indicators(filter: { ownerId: $v }) { totalCount } }`, { v: s.Observation!.id }],
      // Malformed, not merely of another type.
      [`query($v: ID) { dossiers(filter: { agencyId: $v }) { totalCount } }`, { v: 'nonsense' }],
    ];
    for (const [query, variables] of cases) {
      const res = await gw.query(query, variables, admin);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      // Nothing is served for the field (data null, or the field null when it is nullable).
      expect(Object.values(res.data ?? {}).every((value) => value === null), query).toBe(true);
    }
    // The right type is accepted by the same filters.
    const right = await gw.query<{ dossiers: { totalCount: number } }>(`query($v: ID) { dossiers(filter: { agencyId: $v }) { totalCount } }`, { v: s.Agency!.id }, admin);
    expect(right.errors).toBeUndefined();
  });
});

/** Each ordered list: where it is (the root, or under a sample parent its source names), its ordering enum, its default, the other orderings. */
interface OrderedList {
  name: string;
  list: string;
  parent?: string;
  order: string;
  byDefault: string;
  others: string[];
}

/** Every list with an `orderBy` of the served schema: the root's, and those of the types a source names a sample parent for. */
async function orderedLists(): Promise<OrderedList[]> {
  const parents: Array<[string | undefined, GraphQLObjectType]> = [[undefined, schema.getQueryType()!]];
  for (const s of await moduleSamples()) {
    for (const [type, parent] of Object.entries(s.listParents ?? {})) parents.push([parent, schema.getType(type) as GraphQLObjectType]);
  }
  return parents.flatMap(([parent, type]) =>
    listsOf(type).flatMap((field) => {
      const orderBy = field.args.find((a) => a.name === 'orderBy');
      const order = orderBy && getNamedType(orderBy.type);
      if (!orderBy || !order || !isEnumType(order)) return [];
      const byDefault = String(orderBy.defaultValue);
      return [{ name: `${type.name}.${field.name}`, list: field.name, parent, order: order.name, byDefault, others: order.getValues().map((v) => v.name).filter((v) => v !== byDefault) }];
    }),
  );
}

const ORDERED = await orderedLists();

describe('orderBy: nullable with a default', () => {
  it('finds the ordered lists: every root list with an orderBy, and the lists of the sample parents', () => {
    expect(ORDERED.length).toBeGreaterThanOrEqual(13);
    expect(ORDERED.filter((l) => l.parent).length).toBeGreaterThanOrEqual(3);
    for (const l of ORDERED) expect(l.others.length, l.name).toBeGreaterThan(0);
  });

  it.each(ORDERED)('an explicit null orderBy on $name gives the default order ($byDefault), like an absent one', async ({ name, list, parent, order, byDefault, others }) => {
    const page = (args: string) => `${list}(first: 15${args}) { edges { node { id } } }`;
    const otherPages = others.map((o) => `other_${o}: ${page(`, orderBy: ${o}`)}`).join(' ');
    const fields = `absent: ${page('')} literal: ${page(', orderBy: null')} variable: ${page(', orderBy: $order')} explicit: ${page(`, orderBy: ${byDefault}`)} ${otherPages}`;
    const query = `query($order: ${order}) { ${parent ? `${parent} { ${fields} }` : fields} }`;
    const data = ok(await gw.query<Record<string, unknown>>(query, { order: null }, admin));
    const pages = (parent ? Object.values(data)[0] : data) as Record<string, Edges<{ id: string }>>;
    const ids = (key: string) => pages[key]!.edges.map((e) => e.node.id);
    expect(ids('explicit').length).toBeGreaterThan(1);
    expect(ids('absent')).toEqual(ids('explicit'));
    expect(ids('literal')).toEqual(ids('explicit'));
    expect(ids('variable')).toEqual(ids('explicit'));
    // The page depends on the ordering: the default is not merely some order.
    const same = others.filter((o) => JSON.stringify(ids(`other_${o}`)) === JSON.stringify(ids('explicit')));
    expect(same, `${name}: orderings that give the default's page`).toEqual([]);
  });
});
