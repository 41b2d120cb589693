/**
 * The indicators page of the IOC dashboard: the city-wide `latest` of each indicator comes in the
 * page's statement, and a page that holds the whole filtered list answers totalCount itself; a
 * full page, `last` or a cursor still counts with a statement. Answers equal the separate paths.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { agencies } from '../../../src/modules/reference/seed/agencies.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { ok } from '../../support/graphql.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connection
let db: Kysely<any>;
let analyst: Record<string, string>;
let officer: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.ioc.root;
  const auth = loadConfig().auth;
  analyst = { authorization: `Bearer ${await mintDevToken(auth, { role: 'analyst' })}` };
  officer = { authorization: `Bearer ${await mintDevToken(auth, { role: 'officer', agency: 'STTTT' })}` };
});
afterAll(async () => gw?.close());

interface Latest {
  id: string;
  period: string;
  value: number;
  cityWide: boolean;
}
interface PageAnswer {
  indicators: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { code: string; target: number | null; owner: { name: string } | null; latest: Latest | null } }>;
  };
}

const PAGE = `query($first: Int, $after: String, $last: Int) { indicators(first: $first, after: $after, last: $last) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { code target owner { name } latest { id period value cityWide } } } } }`;

async function all(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ioc.indicators`.execute(db);
  return rows[0]!.n;
}

/** Each indicator's latest city-wide value through `indicator(code)`, whose `latest` goes through the loader. */
async function latestAlone(code: string): Promise<Latest | null> {
  const res = ok(await gw.query<{ indicator: { latest: Latest | null } }>(`query($code: String!) { indicator(code: $code) { latest { id period value cityWide } } }`, { code }, analyst));
  return res.indicator.latest;
}

describe('the indicators page of the dashboard', () => {
  it('a short first page: one ioc statement (latest joined, totalCount its length), the same answers', async () => {
    ok(await gw.query(PAGE, { first: 100 }, analyst)); // the owners into the process's agency cache
    const res = await gw.query<PageAnswer>(PAGE, { first: 100 }, analyst);
    const page = ok(res).indicators;
    expect(page.edges.length).toBeLessThan(100);
    expect(page.totalCount).toBe(await all());
    expect(page.edges.length).toBe(page.totalCount);
    expect(res.extensions!.sqlStatements!.bySource).toEqual({ ioc: 1 });
    expect(page.edges.some((e) => e.node.latest !== null)).toBe(true);
    for (const { node } of page.edges) expect(node.latest, node.code).toEqual(await latestAlone(node.code));
  });

  it('a full page, a cursor or `last` still counts with a statement', async () => {
    const total = await all();
    const full = await gw.query<PageAnswer>(PAGE, { first: 2 }, analyst);
    expect(ok(full).indicators.totalCount).toBe(total);
    expect(full.extensions!.sqlStatements!.bySource).toEqual({ ioc: 2 });
    const after = await gw.query<PageAnswer>(PAGE, { first: 100, after: ok(full).indicators.pageInfo.endCursor }, analyst);
    expect(ok(after).indicators.totalCount).toBe(total);
    expect(ok(after).indicators.edges).toHaveLength(total - 2);
    expect(after.extensions!.sqlStatements!.bySource).toEqual({ ioc: 2 });
    const last = await gw.query<PageAnswer>(PAGE, { last: 100 }, analyst);
    expect(ok(last).indicators.totalCount).toBe(total);
    expect(last.extensions!.sqlStatements!.bySource).toEqual({ ioc: 2 });
  });

  it('within a row scope the short page counts what the scope lets through', async () => {
    const res = await gw.query<PageAnswer>(PAGE, { first: 100 }, officer);
    // Each source is its own database on a server: the agency's id from the seed, not a join.
    const own = agencies().find((a) => a.code === 'STTTT')!.id;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ioc.indicators where visibility = 'PUBLIC' or owner_id = ${own}`.execute(db);
    expect(ok(res).indicators.totalCount).toBe(rows[0]!.n);
    expect(ok(res).indicators.edges).toHaveLength(rows[0]!.n);
  });

  it('without latest asked, no observation is read; a ward’s latest, as alone', async () => {
    const plain = await gw.query<{ indicators: { totalCount: number } }>(`{ indicators(first: 100) { totalCount edges { node { code } } } }`, {}, analyst);
    expect(ok(plain).indicators.totalCount).toBe(await all());
    expect(plain.extensions!.sqlStatements!.bySource).toEqual({ ioc: 1 });
    const { rows } = await sql<{ ward_id: number }>`select min(ward_id)::int as ward_id from ioc.observations`.execute(db);
    const wardId = toGlobalId('AdministrativeUnit', rows[0]!.ward_id);
    const LATEST = `latest(wardId: $ward) { id period value cityWide }`;
    const paged = ok(await gw.query<{ indicators: { edges: Array<{ node: { code: string; latest: Latest | null } }> } }>(
      `query($ward: ID) { indicators(first: 100) { edges { node { code ${LATEST} } } } }`, { ward: wardId }, analyst));
    expect(paged.indicators.edges.some((e) => e.node.latest !== null)).toBe(true);
    for (const { node } of paged.indicators.edges) {
      const alone = ok(await gw.query<{ indicator: { latest: Latest | null } }>(`query($code: String!, $ward: ID) { indicator(code: $code) { ${LATEST} } }`, { code: node.code, ward: wardId }, analyst));
      expect(node.latest, node.code).toEqual(alone.indicator.latest);
    }
  });
});
