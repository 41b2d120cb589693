import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { MAX_SERIES_POINTS } from '../../../src/modules/ioc/graph/indicator.resolver.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { agencies } from '../../../src/modules/reference/seed/agencies.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { fold, ok } from '../../support/graphql.js';
import { walk, type Conn } from '../../support/relay.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connection
let db: Kysely<any>;
let as: Record<'analyst' | 'officer' | 'admin', Record<string, string>>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.ioc.root;
  const auth = loadConfig().auth;
  const bearer = async (request: Parameters<typeof mintDevToken>[1]) => ({ authorization: `Bearer ${await mintDevToken(auth, request)}` });
  as = {
    analyst: await bearer({ role: 'analyst' }),
    officer: await bearer({ role: 'officer', agency: 'STTTT' }),
    admin: await bearer({ role: 'admin' }),
  };
});
afterAll(async () => gw?.close());

const agencyId = (code: string) => agencies().find((a) => a.code === code)!.id;

async function count(where: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ioc.indicators i where ${sql.raw(where)}`.execute(db);
  return rows[0]!.n;
}

async function indicatorRow(code: string): Promise<{ id: number; owner_id: number; visibility: string }> {
  const { rows } = await sql<{ id: number; owner_id: number; visibility: string }>`select id, owner_id, visibility from ioc.indicators where code = ${code}`.execute(db);
  return rows[0]!;
}

async function wardOf(code: string): Promise<number> {
  const { rows } = await sql<{ ward_id: number }>`
    select min(o.ward_id)::int as ward_id from ioc.observations o join ioc.indicators i on i.id = o.indicator_id where i.code = ${code}`.execute(db);
  return rows[0]!.ward_id;
}

const INDICATORS = `query($filter: IndicatorFilter, $orderBy: IndicatorOrder, $first: Int, $after: String, $last: Int, $before: String) {
  indicators(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id code name description unit category target targetYear visibility granularity frequency sourceNote owner { code } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

interface IndicatorNode {
  id: string;
  code: string;
  name: string;
  category: string;
  target: number | null;
  targetYear: number | null;
  visibility: string;
  granularity: string;
  frequency: string;
  sourceNote: string | null;
  owner: { code: string } | null;
}

async function indicators(variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Conn<IndicatorNode>> {
  return ok(await gw.query<{ indicators: Conn<IndicatorNode> }>(INDICATORS, variables, headers)).indicators;
}

describe('indicators over HTTP', () => {
  it('lists public indicators with their fields, totalCount equal to a direct SQL count', async () => {
    const page = await indicators({ first: 100 });
    expect(page.totalCount).toBe(await count(`visibility = 'PUBLIC'`));
    expect(page.edges).toHaveLength(page.totalCount!);
    const grdp = page.edges.find((e) => e.node.code === 'DIGITAL_ECONOMY_GRDP_SHARE')!.node;
    expect(grdp).toMatchObject({ target: 20, targetYear: 2025, visibility: 'PUBLIC', granularity: 'CITY', frequency: 'YEARLY', owner: { code: 'STTTT' } });
    expect(grdp.sourceNote).toBeTruthy();
    const names = page.edges.map((e) => e.node.name);
    const { rows } = await sql<{ name: string }>`select name from ioc.indicators where visibility = 'PUBLIC' order by name_sort, id`.execute(db);
    expect(names).toEqual(rows.map((r) => r.name));
  });

  it('visits every indicator exactly once, forward and backward, in both orders', async () => {
    for (const [orderBy, sqlOrder] of [['NAME', 'name_sort, id'], ['CODE', 'code, id']] as const) {
      const { rows } = await sql<{ id: number }>`select id from ioc.indicators where visibility = 'PUBLIC' order by ${sql.raw(sqlOrder)}`.execute(db);
      const list = (args: Record<string, unknown>) => indicators({ orderBy, ...args });
      expect(await walk(list, 'forward', 4)).toEqual(rows.map((r) => r.id));
      expect(await walk(list, 'backward', 3)).toEqual(rows.map((r) => r.id));
    }
  });

  it('filters by category, owner and visibility, and searches without diacritics', async () => {
    const digital = await indicators({ filter: { category: 'Chính quyền số' }, first: 100 });
    expect(digital.totalCount).toBe(await count(`visibility = 'PUBLIC' and category = 'Chính quyền số'`));
    expect(digital.edges.every((e) => e.node.category === 'Chính quyền số')).toBe(true);

    const owned = await indicators({ filter: { ownerId: toGlobalId('Agency', agencyId('SDL')) }, first: 100 });
    expect(owned.totalCount).toBe(await count(`visibility = 'PUBLIC' and owner_id = ${agencyId('SDL')}`));
    expect(owned.edges.every((e) => e.node.owner?.code === 'SDL')).toBe(true);

    const internal = await indicators({ filter: { visibility: 'INTERNAL' }, first: 100 }, as.analyst);
    expect(internal.totalCount).toBe(await count(`visibility = 'INTERNAL'`));
    expect(internal.totalCount).toBeGreaterThan(0);

    const { rows } = await sql<{ name: string }>`select name from ioc.indicators where visibility = 'PUBLIC'`.execute(db);
    const expected = rows.filter((r) => fold(r.name).includes('da') && fold(r.name).includes('nang')).map((r) => r.name).sort();
    const found = await indicators({ filter: { search: 'da nang' }, first: 100 });
    expect(expected.length).toBeGreaterThan(0);
    expect(found.edges.map((e) => e.node.name).sort()).toEqual(expected);
    expect(found.totalCount).toBe(expected.length);
    const tourists = await indicators({ filter: { search: 'LUOT KHACH du lich' }, first: 100 });
    expect(tourists.edges.map((e) => e.node.code)).toContain('TOURIST_ARRIVALS');

    const bad = await gw.query(`{ indicators(filter: { ownerId: "nonsense" }) { totalCount } }`);
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('pages an indicator’s observations both ways with filters, totalCount from SQL', async () => {
    const indicator = await indicatorRow('DOSSIERS_RECEIVED');
    const ward = await wardOf('DOSSIERS_RECEIVED');
    const query = `query($code: String!, $filter: ObservationFilter, $first: Int, $after: String, $last: Int, $before: String) {
      indicator(code: $code) { observations(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { node { id period value cityWide ward { id name } indicator { code } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    type Obs = { id: string; period: string; value: number; cityWide: boolean; ward: { id: string; name: string } | null; indicator: { code: string } };
    const list = (filter: Record<string, unknown>) => async (args: Record<string, unknown>) =>
      ok(await gw.query<{ indicator: { observations: Conn<Obs> } }>(query, { code: 'DOSSIERS_RECEIVED', filter, ...args })).indicator.observations;

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cityWide: true }, 'ward_id is null'],
      [{ wardId: toGlobalId('AdministrativeUnit', ward), from: '2024-03-01' }, `ward_id = ${ward} and period >= '2024-03-01'`],
      [{ cityWide: false, from: '2024-09-01', to: '2024-10-01' }, `ward_id is not null and period between '2024-09-01' and '2024-10-01'`],
    ];
    for (const [filter, where] of cases) {
      const { rows } = await sql<{ id: number }>`
        select id::int as id from ioc.observations where indicator_id = ${indicator.id} and ${sql.raw(where)} order by period desc, id desc`.execute(db);
      expect(rows.length).toBeGreaterThan(0);
      const page = await list(filter)({ first: 100 });
      expect(page.totalCount).toBe(rows.length);
      expect(await walk(list(filter), 'forward', 11)).toEqual(rows.map((r) => r.id));
      expect(await walk(list(filter), 'backward', 13)).toEqual(rows.map((r) => r.id));
    }

    const page = await list({ wardId: toGlobalId('AdministrativeUnit', ward) })({ first: 3 });
    expect(page.edges.map((e) => e.node.period)).toEqual(['2024-10-01', '2024-09-01', '2024-08-01']);
    for (const { node } of page.edges) {
      expect(node.ward?.id).toBe(toGlobalId('AdministrativeUnit', ward));
      expect(node.cityWide).toBe(false);
      expect(node.indicator.code).toBe('DOSSIERS_RECEIVED');
    }
    const city = await list({ cityWide: true })({ first: 1 });
    expect(city.edges[0]!.node).toMatchObject({ ward: null, cityWide: true, period: '2024-10-01' });
  });

  it('gives the latest value and a time series, per ward or city-wide', async () => {
    const indicator = await indicatorRow('AIR_QUALITY_INDEX');
    const ward = await wardOf('AIR_QUALITY_INDEX');
    const wardId = toGlobalId('AdministrativeUnit', ward);
    const res = ok(
      await gw.query<{ indicator: { city: { period: string; value: number; ward: null }; ward: { value: number; ward: { id: string } }; series: Array<{ period: string; value: number }>; wardSeries: Array<{ period: string }> } }>(
        `query($ward: ID!) { indicator(code: "AIR_QUALITY_INDEX") {
          city: latest { period value ward { id } } ward: latest(wardId: $ward) { value ward { id } }
          series(from: "2024-01-01", to: "2024-06-01") { period value }
          wardSeries: series(wardId: $ward) { period } } }`,
        { ward: wardId },
      ),
    ).indicator;
    const point = async (where: string) => {
      const { rows } = await sql<{ period: string; value: number }>`
        select period::text as period, value::float8 as value from ioc.observations where indicator_id = ${indicator.id} and ${sql.raw(where)} order by period`.execute(db);
      return rows;
    };
    const cityRows = await point('ward_id is null');
    expect(res.city).toEqual({ ...cityRows.at(-1), ward: null });
    const wardRows = await point(`ward_id = ${ward}`);
    expect(res.ward).toEqual({ value: wardRows.at(-1)!.value, ward: { id: wardId } });
    expect(res.series).toEqual(cityRows.filter((r) => r.period >= '2024-01-01' && r.period <= '2024-06-01'));
    expect(res.series).toHaveLength(6);
    expect(res.wardSeries.map((r) => r.period)).toEqual(wardRows.map((r) => r.period));
    expect(wardRows.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
  });

  it('refetches indicators and observations with node(id) and nodes(ids)', async () => {
    const first = ok(await gw.query<{ indicator: { id: string; observations: Conn<{ id: string; value: number }> } }>(
      `{ indicator(code: "TOURIST_ARRIVALS") { id observations(first: 1) { edges { node { id value } } } } }`,
    )).indicator;
    const observation = first.observations.edges[0]!.node;
    const res = ok(
      await gw.query<{ node: { __typename: string; code: string }; nodes: Array<{ __typename: string; value?: number; indicator?: { code: string }; code?: string } | null> }>(
        `query($id: ID!, $ids: [ID!]!) { node(id: $id) { __typename ... on Indicator { code } }
          nodes(ids: $ids) { __typename ... on Observation { value indicator { code } } ... on Indicator { code } } }`,
        { id: first.id, ids: [observation.id, toGlobalId('Observation', 99_999_999), first.id, toGlobalId('Indicator', 99_999)] },
      ),
    );
    expect(res.node).toEqual({ __typename: 'Indicator', code: 'TOURIST_ARRIVALS' });
    expect(res.nodes).toEqual([
      { __typename: 'Observation', value: observation.value, indicator: { code: 'TOURIST_ARRIVALS' } },
      null,
      { __typename: 'Indicator', code: 'TOURIST_ARRIVALS' },
      null,
    ]);
  });
});

describe('indicator row scopes', () => {
  const LOOKUPS = `query($code: String!, $id: ID!, $observation: ID!) {
    indicator(code: $code) { code }
    node(id: $id) { ... on Indicator { code } }
    observation: node(id: $observation) { ... on Observation { indicator { code } } }
    nodes(ids: [$id, $observation]) { id } }`;
  type Lookups = { indicator: { code: string } | null; node: { code: string } | null; observation: { indicator: { code: string } } | null; nodes: Array<{ id: string } | null> };

  async function lookups(code: string, headers?: Record<string, string>): Promise<Lookups> {
    const indicator = await indicatorRow(code);
    const { rows } = await sql<{ id: number }>`select min(id)::int as id from ioc.observations where indicator_id = ${indicator.id}`.execute(db);
    return ok(await gw.query<Lookups>(LOOKUPS, { code, id: toGlobalId('Indicator', indicator.id), observation: toGlobalId('Observation', rows[0]!.id) }, headers));
  }
  const HIDDEN: Lookups = { indicator: null, node: null, observation: null, nodes: [null, null] };
  const seen = (code: string): Lookups => ({ indicator: { code }, node: { code }, observation: { indicator: { code } }, nodes: [expect.anything(), expect.anything()] as never });

  it('hides internal indicators from the public in lists, counts, lookups and node(id)', async () => {
    expect((await indicatorRow('CYBERSECURITY_ALERTS_HANDLED')).visibility).toBe('INTERNAL');
    const all = await indicators({ first: 100 });
    expect(all.totalCount).toBe(await count(`visibility = 'PUBLIC'`));
    expect(all.totalCount).toBeLessThan(await count('true'));
    expect(all.edges.every((e) => e.node.visibility === 'PUBLIC')).toBe(true);
    expect((await indicators({ filter: { visibility: 'INTERNAL' } })).totalCount).toBe(0);
    expect(await lookups('CYBERSECURITY_ALERTS_HANDLED')).toEqual(HIDDEN);
    expect(await lookups('TOURIST_ARRIVALS')).toEqual(seen('TOURIST_ARRIVALS'));

    const nested = ok(await gw.query<{ agency: { indicators: Conn<{ visibility: string }> } }>(
      `{ agency(code: "IOC") { indicators(first: 100) { totalCount edges { node { visibility } } } } }`,
    )).agency.indicators;
    expect(nested.totalCount).toBe(await count(`visibility = 'PUBLIC' and owner_id = ${agencyId('IOC')}`));
    expect(nested.edges.every((e) => e.node.visibility === 'PUBLIC')).toBe(true);
  });

  it('shows every indicator to analysts and admins', async () => {
    for (const headers of [as.analyst, as.admin]) {
      expect((await indicators({ first: 100 }, headers)).totalCount).toBe(await count('true'));
      expect(await lookups('CYBERSECURITY_ALERTS_HANDLED', headers)).toEqual(seen('CYBERSECURITY_ALERTS_HANDLED'));
      expect(await lookups('URBAN_ORDER_VIOLATIONS', headers)).toEqual(seen('URBAN_ORDER_VIOLATIONS'));
    }
  });

  it("shows an officer the own agency's internal indicators only", async () => {
    const own = agencyId('STTTT');
    const page = await indicators({ first: 100 }, as.officer);
    expect(page.totalCount).toBe(await count(`visibility = 'PUBLIC' or owner_id = ${own}`));
    const internal = page.edges.filter((e) => e.node.visibility === 'INTERNAL').map((e) => e.node.code);
    expect(internal).toEqual(['CYBERSECURITY_ALERTS_HANDLED']);
    expect(await lookups('CYBERSECURITY_ALERTS_HANDLED', as.officer)).toEqual(seen('CYBERSECURITY_ALERTS_HANDLED'));
    expect(await lookups('URBAN_ORDER_VIOLATIONS', as.officer)).toEqual(HIDDEN);

    const nested = ok(await gw.query<{ stttt: { indicators: { totalCount: number } }; ioc: { indicators: { totalCount: number } } }>(
      `{ stttt: agency(code: "STTTT") { indicators { totalCount } } ioc: agency(code: "IOC") { indicators { totalCount } } }`,
      {},
      as.officer,
    ));
    expect(nested.stttt.indicators.totalCount).toBe(await count(`owner_id = ${own}`));
    expect(nested.ioc.indicators.totalCount).toBe(await count(`visibility = 'PUBLIC' and owner_id = ${agencyId('IOC')}`));
  });
});

describe('indicator statement counts', () => {
  // By code, the first 5 agencies include the IOC, whose ward indicators make the ward lookup
  // run in both requests (by name, the first 5 own city-wide indicators only: one statement fewer).
  const NESTED = `query($n: Int!) { agencies(first: $n, orderBy: CODE) { edges { node { indicators(first: 3) { edges { node {
    code owner { name } latest { value } series(from: "2024-01-01") { value } observations(first: 2) { edges { node { period value ward { name } } } } } } } } } } }`;

  it('batches indicators, owners, observations and wards: as many statements for 25 agencies as for 5', async () => {
    for (const headers of [undefined, as.officer, as.analyst]) {
      // The first officer request of the process reads the agency by code, and the owners are read
      // by id once per process too (within REFERENCE_CACHE_MS): the counts are the later requests'.
      ok(await gw.query(NESTED, { n: 25 }, headers));
      const small = await gw.query<{ agencies: { edges: unknown[] } }>(NESTED, { n: 5 }, headers);
      const large = await gw.query<{ agencies: { edges: unknown[] } }>(NESTED, { n: 25 }, headers);
      ok(small);
      expect(ok(large).agencies.edges).toHaveLength(25);
      expect(small.extensions!.sqlStatements!.total).toBe(large.extensions!.sqlStatements!.total);
      // agencies, indicators by owner, latest, series, observations by indicator; the officer's
      // agency by code, the owners by id and the wards no longer: they come from the process's
      // cache of reference rows (warmed above; src/modules/reference/loaders.ts, REFERENCE_CACHE_MS), 8, 7 then 6 before.
      expect(large.extensions!.sqlStatements!.total).toBe(5);
      expect(large.extensions!.sqlStatements!.bySource).toMatchObject({ ioc: 4 });
    }
  });
});
