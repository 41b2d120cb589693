import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../src/auth/tokens.js';
import { toGlobalId } from '../src/platform/relay/global-id.js';
import { NODE_TYPES } from '../src/modules/schema.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';

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

/** What identifies one object of each node type, read where it is first found. */
const IDENTIFYING: Record<string, string> = {
  AdministrativeUnit: 'code name',
  Agency: 'code name',
  Citizen: 'nationalId fullName',
  Household: 'code',
  Business: 'code name',
  Procedure: 'code name',
  Dossier: 'code status',
  Dataset: 'slug title',
  DatasetResource: 'url name',
  Indicator: 'code name',
  Observation: 'period value',
  ProcedureResult: 'number status',
};

type Sample = Record<string, unknown> & { id: string };
interface Edges<N> {
  edges: Array<{ node: N }>;
}

/** One object of every node type, found through the ordinary root fields. */
async function samples(): Promise<Record<string, Sample>> {
  const f = IDENTIFYING;
  const data = ok(
    await gw.query<{
      administrativeUnit: Sample;
      agency: Sample;
      citizens: Edges<Sample>;
      households: Edges<Sample>;
      businesses: Edges<Sample>;
      procedures: Edges<Sample>;
      dossiers: Edges<Sample>;
      datasets: Edges<Sample & { resources: Edges<Sample> }>;
      indicators: Edges<Sample & { observations: Edges<Sample> }>;
      procedureResults: Edges<Sample>;
    }>(
      `{
        administrativeUnit(code: "492") { id ${f.AdministrativeUnit} }
        agency(code: "STTTT") { id ${f.Agency} }
        citizens(first: 1) { edges { node { id ${f.Citizen} } } }
        households(first: 1) { edges { node { id ${f.Household} } } }
        businesses(first: 1) { edges { node { id ${f.Business} } } }
        procedures(first: 1) { edges { node { id ${f.Procedure} } } }
        dossiers(first: 1) { edges { node { id ${f.Dossier} } } }
        datasets(first: 10) { edges { node { id ${f.Dataset} resources(first: 1) { edges { node { id ${f.DatasetResource} } } } } } }
        indicators(first: 10) { edges { node { id ${f.Indicator} observations(first: 1) { edges { node { id ${f.Observation} } } } } } }
        procedureResults(first: 1) { edges { node { id ${f.ProcedureResult} } } }
      }`,
      undefined,
      admin,
    ),
  );
  const dataset = data.datasets.edges.find((e) => e.node.resources.edges.length > 0)!.node;
  const indicator = data.indicators.edges.find((e) => e.node.observations.edges.length > 0)!.node;
  const { resources, ...datasetFields } = dataset;
  const { observations, ...indicatorFields } = indicator;
  return {
    AdministrativeUnit: data.administrativeUnit,
    Agency: data.agency,
    Citizen: data.citizens.edges[0]!.node,
    Household: data.households.edges[0]!.node,
    Business: data.businesses.edges[0]!.node,
    Procedure: data.procedures.edges[0]!.node,
    Dossier: data.dossiers.edges[0]!.node,
    Dataset: datasetFields as Sample,
    DatasetResource: resources.edges[0]!.node,
    Indicator: indicatorFields as Sample,
    Observation: observations.edges[0]!.node,
    ProcedureResult: data.procedureResults.edges[0]!.node,
  };
}

describe('node(id)', () => {
  it('every type implementing Node is registered for node(id), and only those', async () => {
    const data = ok(await gw.query<{ __type: { possibleTypes: Array<{ name: string }> } }>(`{ __type(name: "Node") { possibleTypes { name } } }`));
    const implementers = data.__type.possibleTypes.map((t) => t.name).sort();
    expect(implementers).toEqual([...NODE_TYPES.keys()].sort());
    expect(implementers).toEqual(Object.keys(IDENTIFYING).sort());
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

describe('orderBy: nullable with a default', () => {
  /** Each ordered list: where it is, its ordering enum, its default, and another ordering. */
  const LISTS: Array<{ list: string; parent?: string; order: string; byDefault: string; other: string }> = [
    { list: 'administrativeUnits', order: 'UnitOrder', byDefault: 'NAME', other: 'CODE' },
    { list: 'agencies', order: 'AgencyOrder', byDefault: 'NAME', other: 'CODE' },
    { list: 'businesses', order: 'BusinessOrder', byDefault: 'NAME', other: 'REGISTERED_ON' },
    { list: 'citizens', order: 'CitizenOrder', byDefault: 'NAME', other: 'NEWEST' },
    { list: 'datasets', order: 'DatasetOrder', byDefault: 'TITLE', other: 'DOWNLOADS' },
    { list: 'dossiers', order: 'DossierOrder', byDefault: 'SUBMITTED_AT', other: 'DUE_AT' },
    { list: 'households', order: 'HouseholdOrder', byDefault: 'CODE', other: 'ADDRESS' },
    { list: 'indicators', order: 'IndicatorOrder', byDefault: 'NAME', other: 'CODE' },
    { list: 'procedures', order: 'ProcedureOrder', byDefault: 'NAME', other: 'CODE' },
    { list: 'procedureResults', order: 'ProcedureResultOrder', byDefault: 'ISSUED_AT', other: 'NUMBER' },
    { list: 'dossiers', parent: 'agency(code: "STTTT")', order: 'DossierOrder', byDefault: 'SUBMITTED_AT', other: 'DUE_AT' },
    { list: 'datasets', parent: 'agency(code: "STTTT")', order: 'DatasetOrder', byDefault: 'TITLE', other: 'DOWNLOADS' },
    { list: 'indicators', parent: 'agency(code: "STTTT")', order: 'IndicatorOrder', byDefault: 'NAME', other: 'CODE' },
  ];

  const named = LISTS.map((l) => ({ ...l, name: `${l.parent ? 'Agency' : 'Query'}.${l.list}` }));

  it.each(named)('an explicit null orderBy on $name gives the default order ($byDefault), like an absent one', async ({ list, parent, order, byDefault, other }) => {
    const page = (args: string) => `${list}(first: 15${args}) { edges { node { id } } }`;
    const fields = `absent: ${page('')} literal: ${page(', orderBy: null')} variable: ${page(', orderBy: $order')} explicit: ${page(`, orderBy: ${byDefault}`)} other: ${page(`, orderBy: ${other}`)}`;
    const query = `query($order: ${order}) { ${parent ? `${parent} { ${fields} }` : fields} }`;
    type Pages = Record<'absent' | 'literal' | 'variable' | 'explicit' | 'other', Edges<{ id: string }>>;
    const data = ok(await gw.query<Record<string, Pages>>(query, { order: null }, admin));
    const pages = parent ? (Object.values(data)[0] as Pages) : (data as unknown as Pages);
    const ids = (key: keyof Pages) => pages[key].edges.map((e) => e.node.id);
    expect(ids('explicit').length).toBeGreaterThan(1);
    expect(ids('absent')).toEqual(ids('explicit'));
    expect(ids('literal')).toEqual(ids('explicit'));
    expect(ids('variable')).toEqual(ids('explicit'));
    // The page depends on the ordering: the default is not merely some order.
    expect(ids('other')).not.toEqual(ids('explicit'));
  });
});
