import { createQueryId, PostgresQueryCompiler, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { agencies } from '../../../src/modules/reference/seed/agencies.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { fold, ok } from '../../support/graphql.js';
import { rowIdOf, walk, type Conn } from '../../support/relay.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connection
let db: Kysely<any>;
let as: Record<'analyst' | 'officer' | 'otherOfficer' | 'admin', Record<string, string>>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.opendata.root;
  const auth = loadConfig().auth;
  const bearer = async (request: Parameters<typeof mintDevToken>[1]) => ({ authorization: `Bearer ${await mintDevToken(auth, request)}` });
  as = {
    analyst: await bearer({ role: 'analyst' }),
    officer: await bearer({ role: 'officer', agency: 'STTTT' }),
    otherOfficer: await bearer({ role: 'officer', agency: 'SYT' }),
    admin: await bearer({ role: 'admin' }),
  };
});
afterAll(async () => gw?.close());

const agencyId = (code: string) => agencies().find((a) => a.code === code)!.id;

async function count(where: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from opendata.datasets d where ${sql.raw(where)}`.execute(db);
  return rows[0]!.n;
}

async function ids(where: string, orderBy: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from opendata.datasets d where ${sql.raw(where)} order by ${sql.raw(orderBy)}`.execute(db);
  return rows.map((r) => r.id);
}

const DATASETS = `query($filter: DatasetFilter, $orderBy: DatasetOrder, $first: Int, $after: String, $last: Int, $before: String) {
  datasets(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id slug title category tags licence accessLevel updateFrequency downloads updatedAt publisher { code } formats } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

interface DatasetNode {
  id: string;
  slug: string;
  title: string;
  category: string;
  tags: string[];
  licence: string;
  accessLevel: string;
  updateFrequency: string;
  downloads: number;
  updatedAt: string;
  publisher: { code: string } | null;
  formats: string[];
}

async function datasets(variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Conn<DatasetNode>> {
  return ok(await gw.query<{ datasets: Conn<DatasetNode> }>(DATASETS, variables, headers)).datasets;
}

describe('datasets over HTTP', () => {
  it('lists the public catalogue with its fields, totalCount equal to a direct SQL count', async () => {
    const page = await datasets({ first: 5 });
    expect(page.totalCount).toBe(await count(`access_level = 'PUBLIC'`));
    expect(page.totalCount).toBeGreaterThan(1000);
    const node = page.edges[0]!.node;
    expect(node.slug).toMatch(/^[a-z0-9-]+$/);
    expect(node.licence).toMatch(/^(CC_BY_4_0|ODC_BY|CC0_1_0|ODBL_1_0|GOV_OPEN)$/);
    expect(node.accessLevel).toBe('PUBLIC');
    expect(node.downloads).toBeGreaterThanOrEqual(0);
    expect(new Date(node.updatedAt).toISOString()).toBe(node.updatedAt);
    expect(node.publisher?.code).toBeTruthy();
    expect(node.formats.length).toBeGreaterThan(0);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('visits every row of a filtered list exactly once, forward and backward, in each order', async () => {
    const orders: Array<[string, string]> = [
      ['TITLE', 'title_sort asc, id asc'],
      ['UPDATED_AT', 'updated_at desc, id desc'],
      ['DOWNLOADS', 'downloads desc, id desc'],
    ];
    const filter = { category: 'Giao thông' };
    for (const [orderBy, sqlOrder] of orders) {
      const expected = await ids(`category = 'Giao thông' and access_level = 'PUBLIC'`, sqlOrder);
      expect(expected.length).toBeGreaterThan(20);
      const list = (args: Record<string, unknown>) => datasets({ filter, orderBy, ...args });
      expect(await walk(list, 'forward', 9)).toEqual(expected);
      expect(await walk(list, 'backward', 7)).toEqual(expected);
    }
  });

  it('searches titles without diacritics ("da nang" finds "Đà Nẵng")', async () => {
    const { rows } = await sql<{ title: string }>`select title from opendata.datasets where access_level = 'PUBLIC'`.execute(db);
    const expected = rows.filter((r) => fold(r.title).includes('da') && fold(r.title).includes('nang')).length;
    const page = await datasets({ filter: { search: 'da nang' }, first: 100 });
    expect(page.totalCount).toBe(expected);
    expect(page.totalCount).toBeGreaterThan(0);
    for (const { node } of page.edges) expect(fold(node.title)).toMatch(/da.*nang|nang.*da/);
    expect(page.edges.some((e) => e.node.title.includes('Đà Nẵng'))).toBe(true);
    const air = await datasets({ filter: { search: 'CHAT LUONG khong khi' }, first: 100 });
    expect(air.edges.map((e) => e.node.title)).toContain('Số liệu quan trắc chất lượng không khí trên địa bàn thành phố Đà Nẵng');
  });

  it('filters by category, tag, publisher, format, licence and update time', async () => {
    const pub = `access_level = 'PUBLIC'`;
    const health = await datasets({ filter: { category: 'Y tế' }, first: 100 });
    expect(health.totalCount).toBe(await count(`${pub} and category = 'Y tế'`));
    expect(health.edges.every((e) => e.node.category === 'Y tế')).toBe(true);

    const tagged = await datasets({ filter: { tag: 'xe buýt' }, first: 100 });
    expect(tagged.totalCount).toBe(await count(`${pub} and tags @> array['xe buýt']`));
    expect(tagged.totalCount).toBeGreaterThan(0);
    expect(tagged.edges.every((e) => e.node.tags.includes('xe buýt'))).toBe(true);

    const ioc = await datasets({ filter: { publisherId: toGlobalId('Agency', agencyId('IOC')) }, first: 100 });
    expect(ioc.totalCount).toBe(await count(`${pub} and publisher_id = ${agencyId('IOC')}`));
    expect(ioc.edges.every((e) => e.node.publisher?.code === 'IOC')).toBe(true);

    const geo = await datasets({ filter: { format: 'GEOJSON' }, first: 100 });
    expect(geo.totalCount).toBe(await count(`${pub} and exists (select 1 from opendata.dataset_resources r where r.dataset_id = d.id and r.format = 'GeoJSON')`));
    expect(geo.edges.every((e) => e.node.formats.includes('GEOJSON'))).toBe(true);

    const cc0 = await datasets({ filter: { licence: 'CC0_1_0' }, first: 100 });
    expect(cc0.totalCount).toBe(await count(`${pub} and licence = 'CC0-1.0'`));
    expect(cc0.edges.every((e) => e.node.licence === 'CC0_1_0')).toBe(true);

    const since = '2024-10-01T00:00:00.000Z';
    const fresh = await datasets({ filter: { updatedFrom: since }, orderBy: 'UPDATED_AT', first: 100 });
    expect(fresh.totalCount).toBe(await count(`${pub} and updated_at >= '${since}'`));
    expect(fresh.edges.every((e) => e.node.updatedAt >= since)).toBe(true);

    const combined = await datasets({ filter: { category: 'Giao thông', search: 'xe buyt', format: 'CSV' }, first: 100 });
    expect(combined.totalCount).toBe(combined.edges.length);
    for (const { node } of combined.edges) {
      expect(node.category).toBe('Giao thông');
      expect(fold(node.title)).toContain('xe buyt');
      expect(node.formats).toContain('CSV');
    }
  });

  it('finds a dataset by slug with its publisher and resources, and pages the resources both ways', async () => {
    const { rows } = await sql<{ id: number; slug: string; n: number }>`
      select d.id, d.slug, count(r.id)::int as n from opendata.datasets d join opendata.dataset_resources r on r.dataset_id = d.id
      where d.access_level = 'PUBLIC' group by d.id having count(r.id) >= 3 order by d.id limit 1`.execute(db);
    const { slug, n } = rows[0]!;
    const resources = await sql<{ id: number; format: string; url: string; size_bytes: number | null }>`
      select id, format, url, size_bytes from opendata.dataset_resources where dataset_id = ${rows[0]!.id} order by id`.execute(db);

    const query = `query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) { dataset(slug: $slug) {
      slug publisher { name } resources(first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { node { id name format url sizeBytes createdAt dataset { slug } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    interface R {
      dataset: { slug: string; publisher: { name: string }; resources: Conn<{ id: string; format: string; url: string; sizeBytes: number | null; dataset: { slug: string } }> };
    }
    const first = ok(await gw.query<R>(query, { slug, first: 100 })).dataset;
    expect(first.slug).toBe(slug);
    expect(first.publisher.name).toBeTruthy();
    expect(first.resources.totalCount).toBe(n);
    expect(first.resources.edges.map((e) => rowIdOf(e.node.id))).toEqual(resources.rows.map((r) => r.id));
    for (const [i, { node }] of first.resources.edges.entries()) {
      const row = resources.rows[i]!;
      expect(node.url).toBe(row.url);
      expect(node.sizeBytes).toBe(row.size_bytes === null ? null : Number(row.size_bytes));
      expect(node.format.toLowerCase()).toBe(row.format.toLowerCase());
      expect(node.dataset.slug).toBe(slug);
    }
    const list = async (args: Record<string, unknown>) => ok(await gw.query<R>(query, { slug, ...args })).dataset.resources;
    expect(await walk(list, 'forward', 1)).toEqual(resources.rows.map((r) => r.id));
    expect(await walk(list, 'backward', 2)).toEqual(resources.rows.map((r) => r.id));

    expect(ok(await gw.query(`{ dataset(slug: "no-such-dataset") { id } }`))).toEqual({ dataset: null });
    const bad = await gw.query(`{ dataset(slug: ${JSON.stringify(slug)}) { resources(after: "bm9wZQ") { totalCount } } }`);
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('counts datasets per category (facets) within the caller scope', async () => {
    type Facets = { datasetCategories: Array<{ category: string; count: number }> };
    const { rows } = await sql<{ category: string; n: number }>`
      select category, count(*)::int as n from opendata.datasets where access_level = 'PUBLIC' group by category order by n desc, category`.execute(db);
    const facets = ok(await gw.query<Facets>(`{ datasetCategories { category count } }`)).datasetCategories;
    expect(facets).toEqual(rows.map((r) => ({ category: r.category, count: r.n })));

    const analyst = ok(await gw.query<Facets>(`{ datasetCategories { category count } }`, {}, as.analyst)).datasetCategories;
    expect(analyst.reduce((sum, f) => sum + f.count, 0)).toBe(await count('true'));

    const searched = ok(await gw.query<Facets>(`{ datasetCategories(filter: { search: "da nang" }) { category count } }`)).datasetCategories;
    const total = (await datasets({ filter: { search: 'da nang' }, first: 1 })).totalCount;
    expect(searched.reduce((sum, f) => sum + f.count, 0)).toBe(total);
  });

  it('lists the datasets of an agency page, with the agency filter and scope', async () => {
    const query = `{ agencies(first: 30) { edges { node { code datasets(first: 100, filter: { format: CSV }, orderBy: DOWNLOADS) {
      totalCount edges { node { accessLevel downloads formats publisher { code } } } } } } } }`;
    type R = { agencies: { edges: Array<{ node: { code: string; datasets: Conn<{ accessLevel: string; downloads: number; formats: string[]; publisher: { code: string } }> } }> } };
    const res = ok(await gw.query<R>(query));
    for (const { node: agency } of res.agencies.edges) {
      const expected = await count(`access_level = 'PUBLIC' and publisher_id = ${agencyId(agency.code)}
        and exists (select 1 from opendata.dataset_resources r where r.dataset_id = d.id and r.format = 'CSV')`);
      expect(agency.datasets.totalCount).toBe(expected);
      expect(agency.datasets.edges.length).toBe(Math.min(expected, 100));
      const downloads = agency.datasets.edges.map((e) => e.node.downloads);
      expect(downloads).toEqual([...downloads].sort((a, b) => b - a));
      for (const { node } of agency.datasets.edges) {
        expect(node.publisher.code).toBe(agency.code);
        expect(node.accessLevel).toBe('PUBLIC');
        expect(node.formats).toContain('CSV');
      }
    }
  });

  it('refetches datasets and resources with node(id) and nodes(ids)', async () => {
    const page = await datasets({ first: 2 });
    const [a, b] = page.edges.map((e) => e.node);
    const res = ok(
      await gw.query<{ node: { __typename: string; slug: string; resources: Conn<{ id: string }> }; nodes: Array<{ __typename: string; slug: string } | null> }>(
        `query($id: ID!, $ids: [ID!]!) {
          node(id: $id) { __typename ... on Dataset { slug resources(first: 1) { edges { node { id } } } } }
          nodes(ids: $ids) { __typename ... on Dataset { slug } } }`,
        { id: a!.id, ids: [b!.id, toGlobalId('Dataset', 999_999), a!.id] },
      ),
    );
    expect(res.node).toMatchObject({ __typename: 'Dataset', slug: a!.slug });
    expect(res.nodes).toEqual([{ __typename: 'Dataset', slug: b!.slug }, null, { __typename: 'Dataset', slug: a!.slug }]);

    const resourceId = res.node.resources.edges[0]!.node.id;
    const again = ok(
      await gw.query<{ nodes: Array<{ __typename: string; id: string; dataset: { slug: string } } | null> }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on DatasetResource { dataset { slug } } } }`,
        { ids: [resourceId, toGlobalId('DatasetResource', 999_999)] },
      ),
    );
    expect(again.nodes).toEqual([{ __typename: 'DatasetResource', id: resourceId, dataset: { slug: a!.slug } }, null]);
  });

  it('answers a malformed publisher id with BAD_USER_INPUT', async () => {
    const res = await gw.query(`{ datasets(filter: { publisherId: "nonsense" }) { totalCount } }`);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('dataset row scopes', () => {
  async function restricted(publisher: string): Promise<{ id: number; slug: string; resourceId: number }> {
    const { rows } = await sql<{ id: number; slug: string; resource_id: number }>`
      select d.id, d.slug, min(r.id)::int as resource_id from opendata.datasets d join opendata.dataset_resources r on r.dataset_id = d.id
      where d.access_level = 'RESTRICTED' and d.publisher_id = ${agencyId(publisher)} group by d.id order by d.id limit 1`.execute(db);
    expect(rows).toHaveLength(1);
    return { id: rows[0]!.id, slug: rows[0]!.slug, resourceId: rows[0]!.resource_id };
  }

  const LOOKUPS = `query($slug: String!, $id: ID!, $resource: ID!) {
    dataset(slug: $slug) { slug }
    node(id: $id) { ... on Dataset { slug } }
    nodes(ids: [$id, $resource]) { id }
    resource: node(id: $resource) { ... on DatasetResource { dataset { slug } } } }`;
  type Lookups = { dataset: { slug: string } | null; node: { slug: string } | null; nodes: Array<{ id: string } | null>; resource: { dataset: { slug: string } | null } | null };
  const lookups = async (d: { id: number; slug: string; resourceId: number }, headers?: Record<string, string>) =>
    ok(await gw.query<Lookups>(LOOKUPS, { slug: d.slug, id: toGlobalId('Dataset', d.id), resource: toGlobalId('DatasetResource', d.resourceId) }, headers));

  it('hides restricted datasets from the public in lists, counts, facets, lookups and node(id)', async () => {
    const hidden = await restricted('STTTT');
    const publicCount = await count(`access_level = 'PUBLIC'`);
    expect(publicCount).toBeLessThan(await count('true'));
    expect((await datasets({ first: 1 })).totalCount).toBe(publicCount);
    expect((await datasets({ filter: { accessLevel: 'RESTRICTED' }, first: 10 })).totalCount).toBe(0);
    // The whole public list, walked: not one restricted dataset in it.
    const all = await walk((args) => datasets(args), 'forward', 100);
    expect(all).toHaveLength(publicCount);
    expect(all).not.toContain(hidden.id);

    const res = await lookups(hidden);
    expect(res).toEqual({ dataset: null, node: null, nodes: [null, null], resource: null });

    const nested = ok(await gw.query<{ agency: { datasets: Conn<{ accessLevel: string }> } }>(
      `{ agency(code: "STTTT") { datasets(first: 100) { totalCount edges { node { accessLevel } } } } }`,
    )).agency.datasets;
    expect(nested.totalCount).toBe(await count(`access_level = 'PUBLIC' and publisher_id = ${agencyId('STTTT')}`));
    expect(nested.edges.every((e) => e.node.accessLevel === 'PUBLIC')).toBe(true);
  });

  it('shows every dataset to analysts and admins', async () => {
    const hidden = await restricted('STTTT');
    for (const headers of [as.analyst, as.admin]) {
      expect((await datasets({ first: 1 }, headers)).totalCount).toBe(await count('true'));
      expect((await datasets({ filter: { accessLevel: 'RESTRICTED' }, first: 1 }, headers)).totalCount).toBe(await count(`access_level = 'RESTRICTED'`));
      const res = await lookups(hidden, headers);
      expect(res.dataset).toEqual({ slug: hidden.slug });
      expect(res.node).toEqual({ slug: hidden.slug });
      expect(res.nodes.every((n) => n !== null)).toBe(true);
      expect(res.resource).toEqual({ dataset: { slug: hidden.slug } });
    }
  });

  it("shows an officer the own agency's restricted datasets only", async () => {
    const own = await restricted('STTTT');
    const other = await restricted('SYT');
    const sttt = agencyId('STTTT');
    expect((await datasets({ first: 1 }, as.officer)).totalCount).toBe(await count(`access_level = 'PUBLIC' or publisher_id = ${sttt}`));
    const restrictedOnes = await datasets({ filter: { accessLevel: 'RESTRICTED' }, first: 100 }, as.officer);
    expect(restrictedOnes.totalCount).toBe(await count(`access_level = 'RESTRICTED' and publisher_id = ${sttt}`));
    expect(restrictedOnes.edges.every((e) => e.node.publisher?.code === 'STTTT')).toBe(true);

    const mine = await lookups(own, as.officer);
    expect(mine.dataset).toEqual({ slug: own.slug });
    expect(mine.node).toEqual({ slug: own.slug });
    expect(mine.resource).toEqual({ dataset: { slug: own.slug } });
    expect(await lookups(other, as.officer)).toEqual({ dataset: null, node: null, nodes: [null, null], resource: null });
    // ...and the other agency's officer the other way round.
    expect((await lookups(other, as.otherOfficer)).dataset).toEqual({ slug: other.slug });
    expect((await lookups(own, as.otherOfficer)).dataset).toBeNull();

    const facets = ok(await gw.query<{ datasetCategories: Array<{ count: number }> }>(`{ datasetCategories { count } }`, {}, as.officer)).datasetCategories;
    expect(facets.reduce((sum, f) => sum + f.count, 0)).toBe(await count(`access_level = 'PUBLIC' or publisher_id = ${sttt}`));

    const nested = ok(await gw.query<{ agency: { datasets: { totalCount: number } } }>(`{ agency(code: "STTTT") { datasets { totalCount } } }`, {}, as.officer));
    expect(nested.agency.datasets.totalCount).toBe(await count(`publisher_id = ${sttt}`));
  });
});

describe('dataset statement counts', () => {
  const NESTED = `query($n: Int!) { agencies(first: $n) { edges { node { datasets(first: 3) { edges { node {
    title publisher { name } resources(first: 2) { edges { node { format } } } } } } } } } }`;

  it('batches datasets, publishers and resources: as many statements for 25 agencies as for 5', async () => {
    for (const headers of [undefined, as.officer, as.analyst]) {
      // The first officer request of the process reads the agency by code, and the publishers are
      // read by id once per process too (within REFERENCE_CACHE_MS): the counts are the later requests'.
      ok(await gw.query(NESTED, { n: 25 }, headers));
      const small = await gw.query<{ agencies: { edges: Array<{ node: { datasets: Conn<unknown> } }> } }>(NESTED, { n: 5 }, headers);
      const large = await gw.query<{ agencies: { edges: Array<{ node: { datasets: Conn<unknown> } }> } }>(NESTED, { n: 25 }, headers);
      ok(small);
      expect(ok(large).agencies.edges).toHaveLength(25);
      expect(small.extensions!.sqlStatements!.total).toBe(large.extensions!.sqlStatements!.total);
      // agencies, datasets by publisher, resources; the officer's agency by code and the
      // publishers by id no longer: they come from the process's cache of agencies (warmed
      // above; src/modules/reference/loaders.ts, REFERENCE_CACHE_MS), 5 then 4 before.
      expect(large.extensions!.sqlStatements!.total).toBe(3);
      expect(large.extensions!.sqlStatements!.bySource).toEqual({ reference: 1, opendata: 2 });
    }
  });
});

describe('a catalogue page with resources', () => {
  /** The SQL of each opendata statement sent while `run` runs (compiled once or not: as sent). */
  async function opendataSql<T>(run: () => Promise<T>): Promise<{ result: T; texts: string[] }> {
    const texts: string[] = [];
    const compiler = new PostgresQueryCompiler();
    const stop = gw.databases.connections.events.onStatement((source, _seconds, _target, node) => {
      if (source === 'opendata' && node) texts.push(compiler.compileQuery(node, createQueryId()).sql);
    });
    try {
      return { result: await run(), texts };
    } finally {
      stop();
    }
  }
  const resourceColumns = (text: string) => [...text.matchAll(/"resource"\."(\w+)" as "resource\$/g)].map((m) => m[1]).sort();

  it('brings only the resource columns its document asks (every alias, formats), in one statement, as node(id) answers', async () => {
    const cases: Array<[fields: string, fragments: string, columns: string[]]> = [
      ['resources(first: 5) { edges { node { name url } } }', '', ['dataset_id', 'id', 'name', 'url']],
      ['a: resources(first: 1) { edges { node { name } } } b: resources(last: 2) { totalCount edges { node { sizeBytes } } }', '', ['dataset_id', 'id', 'name', 'size_bytes']],
      ['formats resources(first: 2) { edges { cursor node { id createdAt } } }', '', ['created_at', 'dataset_id', 'format', 'id']],
      ['formats', '', ['dataset_id', 'format', 'id']],
      // (A resource's dataset is a second statement: the datasets by id.)
      ['resources { edges { node { ...R } } }', 'fragment R on DatasetResource { dataset { title } ... on Node { id } }', ['dataset_id', 'id']],
    ];
    for (const [fields, fragments, expected] of cases) {
      const document = `{ datasets(first: 6, orderBy: DOWNLOADS) { edges { node { id ${fields} } } } } ${fragments}`;
      const { result, texts } = await opendataSql(() => gw.query<{ datasets: { edges: Array<{ node: { id: string } }> } }>(document));
      const page = ok(result).datasets.edges;
      expect(texts).toHaveLength(fragments ? 2 : 1);
      expect(resourceColumns(texts[0]!)).toEqual(expected);
      // The same answer as each dataset alone, whose resources come from the request's loader (every column).
      for (const { node } of page) {
        const alone = ok(await gw.query<{ node: unknown }>(`query($id: ID!) { node(id: $id) { ... on Dataset { id ${fields} } } } ${fragments}`, { id: node.id })).node;
        expect(alone).toEqual(node);
      }
    }
  });
});
