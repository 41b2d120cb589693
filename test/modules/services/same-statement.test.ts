import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/as.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';

/**
 * Fewer statements per request within one source (issue 14), counted through the real HTTP
 * server (`extensions.sqlStatements`): a page's same-source relations in the page's statement (a
 * dossier's procedure, a dataset's resources), the officer's "applicant of my agency" check
 * answered by the dossier rows the request read, agencies by id from the process's cache. The
 * answers are those of the paths that still load by statement.
 */
let gw: TestGateway;
let admin: Record<string, string>;
let officer: Record<string, string>;
let officerAgencyId: number;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let services: Kysely<any>;

beforeAll(async () => {
  gw = await startTestGateway();
  const auth = gw.databases.config.auth;
  services = gw.databases.connections.sources.services.root;
  const reference = gw.databases.connections.sources.reference.root;
  // The agency with the most open dossiers filed by citizens: the worklist's officer.
  const { rows } = await sql<{ agency_id: number }>`
    select agency_id from services.dossiers where applicant_kind = 'CITIZEN' and completed_at is null
    group by agency_id order by count(*) desc, agency_id limit 1`.execute(services);
  officerAgencyId = rows[0]!.agency_id;
  const agency = await sql<{ code: string }>`select code from reference.agencies where id = ${officerAgencyId}`.execute(reference);
  admin = await as('admin', { purpose: 'CITIZEN_REQUEST', auth });
  officer = await as('officer', { agency: agency.rows[0]!.code, purpose: 'CITIZEN_REQUEST', auth });
});
afterAll(async () => gw?.close());

function statements(res: GraphQLResponse<unknown>): Record<string, number> {
  expect(res.errors).toBeUndefined();
  return res.extensions!.sqlStatements!.bySource;
}

const WORKLIST = `{
  dossiers(first: 50, orderBy: DUE_AT, filter: { status: [RECEIVED, PROCESSING, ADDITIONAL_INFO_REQUIRED] }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id code status dueAt timeliness procedure { code name processingDays } agency { code name }
      applicant { __typename ... on Citizen { id fullName phone ward { fullName } } ... on Business { id name code ward { fullName } } } } }
  }
}`;

interface WorklistNode {
  code: string;
  procedure: { code: string; name: string; processingDays: number } | null;
  applicant: { __typename: string; id: string; fullName?: string | null; phone?: string | null } | null;
}

describe("an officer's worklist", () => {
  it('costs one services statement: the page with its procedures, no applicant check', async () => {
    await gw.query(WORKLIST, {}, officer); // the officer's agency by code, the agency by id and the wards: once per process
    const res = await gw.query<{ dossiers: { edges: Array<{ node: WorklistNode }> } }>(WORKLIST, {}, officer);
    const bySource = statements(res);
    const nodes = res.data!.dossiers.edges.map((e) => e.node);
    const citizens = nodes.filter((n) => n.applicant?.__typename === 'Citizen');
    // The page has citizen applicants (else the check would not be asked at all).
    expect(citizens.length).toBeGreaterThan(0);
    // Their phones are granted as before: each applied to the officer's agency (its dossier says so).
    expect(citizens.every((n) => typeof n.applicant!.phone === 'string')).toBe(true);
    expect(bySource.services).toBe(1);
    // None: agencies and wards come from the process's cache of reference rows.
    expect(bySource.reference ?? 0).toBe(0);
    expect(bySource.population).toBe(1);
    expect(bySource.audit).toBe(1);
    const businesses = nodes.some((n) => n.applicant?.__typename === 'Business');
    expect(bySource.business ?? 0).toBe(businesses ? 1 : 0);
    // Before: the page, the procedures by id, the applicant check (3 services), the agency by id and the wards (2 reference);
    // then the wards (1 reference).
    expect(res.extensions!.sqlStatements!.total).toBe(businesses ? 4 : 3);
  });

  it("still asks SQL about a citizen no dossier row of the request shows, and refuses a non-applicant's fields", async () => {
    const { rows } = await sql<{ applicant: number; other: number }>`
      select (select applicant_id from services.dossiers where agency_id = ${officerAgencyId} and applicant_kind = 'CITIZEN' order by id limit 1) as applicant,
             (select c from generate_series(1, 100000) c where not exists (
                select 1 from services.dossiers d where d.agency_id = ${officerAgencyId} and d.applicant_kind = 'CITIZEN' and d.applicant_id = c) limit 1) as other`.execute(services);
    const { applicant, other } = rows[0]!;
    const lookup = '{ node(id: $id) { ... on Citizen { fullName } } }'.replace('$id', '"ID"');
    const granted = await gw.query<{ node: { fullName: string | null } | null }>(lookup.replace('ID', toGlobalId('Citizen', applicant)), {}, officer);
    expect(granted.errors).toBeUndefined();
    expect(typeof granted.data!.node!.fullName).toBe('string');
    // The check's own statement (population: the citizen; services: whether they applied).
    expect(granted.extensions!.sqlStatements!.bySource.services).toBe(1);
    const refused = await gw.query<{ node: { fullName: string | null } | null }>(lookup.replace('ID', toGlobalId('Citizen', other)), {}, officer);
    expect(refused.extensions!.sqlStatements!.bySource.services).toBe(1);
    if (refused.data?.node) {
      expect(refused.data.node.fullName).toBeNull();
      expect(refused.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    }
  });
});

describe('a page of dossiers with their procedures', () => {
  const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
    dossiers(first: $first, after: $after, last: $last, before: $before, orderBy: DUE_AT) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { code procedure { code name fee serviceLevel } p: procedure { id field } } } } }`;
  const BARE = PAGE.replace(/procedure \{[^}]*\} p: procedure \{[^}]*\}/, '');
  type Page = { dossiers: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string }; edges: Array<{ node: { code: string; procedure?: Record<string, unknown>; p?: Record<string, unknown> } }> } };

  it('come in one statement, each procedure as the lookup by code loads it', async () => {
    const res = await gw.query<Page>(PAGE, { first: 20 }, admin);
    // The page (procedures in it) and the count.
    expect(statements(res)).toEqual({ services: 2 });
    for (const { node } of res.data!.dossiers.edges.slice(0, 5)) {
      const alone = await gw.query<{ dossier: { procedure: Record<string, unknown>; p: Record<string, unknown> } }>(
        `{ dossier(code: "${node.code}") { procedure { code name fee serviceLevel } p: procedure { id field } } }`,
        {},
        admin,
      );
      // That path still reads the procedure by id: a statement of its own.
      expect(statements(alone)).toEqual({ services: 2 });
      expect({ procedure: node.procedure, p: node.p }).toEqual(alone.data!.dossier);
    }
  });

  it('keep the pages of the list without them: first, after, last, before, totalCount, pageInfo', async () => {
    const strip = (page: Page) => ({
      totalCount: page.dossiers.totalCount,
      hasNextPage: page.dossiers.pageInfo.hasNextPage,
      hasPreviousPage: page.dossiers.pageInfo.hasPreviousPage,
      codes: page.dossiers.edges.map((e) => e.node.code),
    });
    const both = async (variables: Record<string, unknown>) => {
      const [joined, bare] = await Promise.all([gw.query<Page>(PAGE, variables, admin), gw.query<Page>(BARE, variables, admin)]);
      expect(joined.errors).toBeUndefined();
      expect(strip(joined.data!)).toEqual(strip(bare.data!));
      expect(joined.data!.dossiers.edges.every((e) => e.node.procedure !== null)).toBe(true);
      return joined.data!;
    };
    const first = await both({ first: 7 });
    const next = await both({ first: 7, after: first.dossiers.pageInfo.endCursor });
    expect(next.dossiers.pageInfo.hasPreviousPage).toBe(true);
    const back = await both({ last: 7, before: next.dossiers.pageInfo.startCursor });
    expect(back.dossiers.edges.map((e) => e.node.code)).toEqual(first.dossiers.edges.map((e) => e.node.code));
    await both({ last: 3 });
    await both({ first: 0 });
  });

  it("come in the pages of a citizen's dossiers too (the portal)", async () => {
    // Two sources, two statements (each may be its own database).
    const busiest = await sql<{ applicant_id: number }>`
      select applicant_id from services.dossiers where applicant_kind = 'CITIZEN' group by applicant_id order by count(*) desc, applicant_id limit 1`.execute(services);
    const { rows } = await sql<{ national_id: string }>`select national_id from population.citizens where id = ${busiest.rows[0]!.applicant_id}`.execute(
      gw.databases.connections.sources.population.root,
    );
    const citizen = await as('citizen', { citizenId: rows[0]!.national_id, auth: gw.databases.config.auth });
    const res = await gw.query<{ me: { dossiers: { edges: Array<{ node: { code: string; procedure: { name: string } } }> } } }>(
      '{ me { fullName dossiers(first: 10) { edges { node { code procedure { name code } } } } } }',
      {},
      citizen,
    );
    expect(statements(res).services).toBe(1);
    const edges = res.data!.me.dossiers.edges;
    expect(edges.length).toBeGreaterThan(1);
    for (const { node } of edges) {
      const alone = await gw.query<{ dossier: { procedure: { name: string } } }>(`{ dossier(code: "${node.code}") { procedure { name code } } }`, {}, citizen);
      expect(alone.data!.dossier.procedure).toEqual(node.procedure);
    }
  });
});

describe('the catalogue page', () => {
  const CATALOGUE_PAGE = `{
    datasets(first: 20, orderBy: DOWNLOADS) {
      pageInfo { hasNextPage }
      edges { node { id slug title downloads publisher { name } resources(first: 5) { edges { node { name url } } } } }
    } }`;
  type Catalogue = { datasets: { edges: Array<{ node: { id: string; resources: unknown } }> } };

  it('costs one statement: the datasets with their resources, publishers from the cache of agencies', async () => {
    await gw.query(CATALOGUE_PAGE);
    const res = await gw.query<Catalogue>(CATALOGUE_PAGE);
    // Before: the datasets, their resources, their publishers.
    expect(statements(res)).toEqual({ opendata: 1 });
    expect(res.extensions!.sqlStatements!.total).toBe(1);
    // Each dataset's resources are those node(id) loads on its own (the loader's statement).
    for (const { node } of res.data!.datasets.edges.slice(0, 6)) {
      const alone = await gw.query<{ node: { resources: unknown } }>(`{ node(id: "${node.id}") { ... on Dataset { resources(first: 5) { edges { node { name url } } } } } }`);
      expect(alone.data!.node.resources).toEqual(node.resources);
    }
  });

  it('pages the resources as before: first, after, totalCount, formats', async () => {
    const RESOURCES = `{ datasets(first: 10, orderBy: DOWNLOADS) { edges { node { id formats
      resources(first: 1) { totalCount pageInfo { hasNextPage } edges { node { id format } } } } } } }`;
    const res = await gw.query<{ datasets: { edges: Array<{ node: Record<string, unknown> & { id: string } }> } }>(RESOURCES);
    expect(statements(res)).toEqual({ opendata: 1 });
    for (const { node } of res.data!.datasets.edges) {
      const alone = await gw.query<{ node: Record<string, unknown> }>(
        `{ node(id: "${node.id}") { ... on Dataset { id formats resources(first: 1) { totalCount pageInfo { hasNextPage } edges { node { id format } } } } } }`,
      );
      expect(alone.data!.node).toEqual(node);
    }
  });
});
