import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageArgs } from '../../../src/platform/db/keyset.js';
import { opendataRepositories, type DatasetWhere, type DatasetOrder, type OpendataRepositories } from '../../../src/modules/opendata/db/index.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import { seedOpendata } from '../../../src/modules/opendata/seed/seed.js';
import { agencies } from '../../../src/modules/reference/seed/agencies.js';
import { scaleNamed } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkKeyset } from '../../support/keyset-walk.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

const SEED = 20241031;
let dbs: SeededDatabases;
let repos: OpendataRepositories;

beforeAll(async () => {
  dbs = await seededDatabases('tiny', SEED);
  repos = opendataRepositories(dbs.connections.sources.opendata.db);
});
afterAll(async () => dbs?.close());

const agencyId = (code: string) => agencies().find((a) => a.code === code)!.id;

/** The ids in the database's own order (its collation for titles). */
async function idsInOrder(orderBy: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from opendata.datasets order by ${sql.raw(orderBy)}`.execute(dbs.connections.sources.opendata.root);
  return rows.map((r) => r.id);
}

async function fingerprint(): Promise<string> {
  const { rows } = await sql<{ hash: string }>`
    select md5(coalesce((select string_agg(d::text, '|' order by d.id) from opendata.datasets d), '')
      || coalesce((select string_agg(r::text, '|' order by r.id) from opendata.dataset_resources r), '')) as hash`.execute(
    dbs.connections.sources.opendata.root,
  );
  return rows[0]!.hash;
}


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: OpendataRepositories) => T): T {
  return fn(opendataRepositories(countedOn(dbs.connections.sources.opendata.db, 'opendata', stats)));
}

describe('opendata repositories', () => {
  it('holds the article catalogue: 1,200 datasets, ~10% restricted', async () => {
    const total = await repos.datasets.count({});
    expect(Math.abs(total / 1200 - 1)).toBeLessThanOrEqual(0.01);
    expect(total).toBe(scaleNamed('tiny').datasets);
    const restricted = await repos.datasets.count({ accessLevel: 'RESTRICTED' });
    expect(Math.abs(restricted / total - 0.1)).toBeLessThanOrEqual(0.01);
    expect(await repos.datasets.count({ accessLevels: ['PUBLIC'] })).toBe(total - restricted);
    expect(await repos.datasets.count({ accessLevels: [] })).toBe(0);
  });

  it('finds a batch of datasets by id and by slug', async () => {
    const rows = await repos.datasets.findByIds([3, 1, 999_999]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 3]);
    const bySlug = await repos.datasets.findBySlugs([rows[0]!.slug, 'no-such-dataset']);
    expect(bySlug.map((r) => r.id)).toEqual([rows[0]!.id]);
    expect(rows[0]!.tags.length).toBeGreaterThan(0);
    expect(rows[0]!.created_at).toBeInstanceOf(Date);
  });

  it('has distinct, plausible Vietnamese titles', async () => {
    const { rows } = await sql<{ n: number; titles: number }>`select count(*)::int as n, count(distinct title)::int as titles from opendata.datasets`.execute(
      dbs.connections.sources.opendata.root,
    );
    expect(rows[0]!.titles).toBe(rows[0]!.n);
  });

  it('searches titles without diacritics', async () => {
    const page = await repos.datasets.list({ search: 'da nang' }, 'TITLE', cursors.page({ first: 50 }));
    expect(page.edges.length).toBeGreaterThan(0);
    for (const { node } of page.edges) expect(node.title).toContain('Đà Nẵng');
    const air = await repos.datasets.list({ search: 'chat luong khong khi' }, 'TITLE', cursors.page({ first: 50 }));
    expect(air.edges.map((e) => e.node.title)).toContain('Số liệu quan trắc chất lượng không khí trên địa bàn thành phố Đà Nẵng');
  });

  it('filters by category, tag, publisher, licence, format, scope and update time', async () => {
    const health = await repos.datasets.list({ category: 'Y tế' }, 'TITLE', cursors.page({ first: 100 }));
    expect(health.edges.length).toBeGreaterThan(0);
    expect(health.edges.every((e) => e.node.category === 'Y tế')).toBe(true);

    const tagged = await repos.datasets.list({ tag: 'xe buýt' }, 'TITLE', cursors.page({ first: 100 }));
    expect(tagged.edges.length).toBeGreaterThan(0);
    expect(tagged.edges.every((e) => e.node.tags.includes('xe buýt'))).toBe(true);

    const ioc = agencyId('IOC');
    const published = await repos.datasets.list({ publisherId: ioc }, 'TITLE', cursors.page({ first: 100 }));
    expect(published.edges.length).toBeGreaterThan(0);
    expect(published.edges.every((e) => e.node.publisher_id === ioc)).toBe(true);

    const cc0 = await repos.datasets.list({ licence: 'CC0-1.0' }, 'TITLE', cursors.page({ first: 100 }));
    expect(cc0.edges.every((e) => e.node.licence === 'CC0-1.0')).toBe(true);

    const geo = await repos.datasets.list({ format: 'GeoJSON' }, 'TITLE', cursors.page({ first: 100 }));
    expect(geo.edges.length).toBeGreaterThan(0);
    const resources = await repos.resources.findByDatasetIds(geo.edges.map((e) => e.node.id));
    for (const { node } of geo.edges) expect(resources.some((r) => r.dataset_id === node.id && r.format === 'GeoJSON')).toBe(true);
    expect(await repos.datasets.count({ format: 'GeoJSON' })).toBeLessThan(await repos.datasets.count({}));

    const since = new Date('2024-10-01T00:00:00Z');
    const fresh = await repos.datasets.list({ updatedFrom: since }, 'UPDATED_AT', cursors.page({ first: 100 }));
    expect(fresh.edges.length).toBeGreaterThan(0);
    expect(fresh.edges.every((e) => e.node.updated_at >= since)).toBe(true);

    // An officer's scope: public datasets, and the restricted ones of their own agency.
    const own = agencyId('STNMT');
    const scoped = await repos.datasets.count({ accessLevels: ['PUBLIC'], ownAgencyId: own });
    const ownRestricted = await repos.datasets.count({ accessLevel: 'RESTRICTED', publisherId: own });
    expect(scoped).toBe((await repos.datasets.count({ accessLevels: ['PUBLIC'] })) + ownRestricted);
  });

  const orders: Array<[DatasetOrder, string]> = [
    ['TITLE', 'title_sort asc, id asc'],
    ['UPDATED_AT', 'updated_at desc, id desc'],
    ['DOWNLOADS', 'downloads desc, id desc'],
  ];
  for (const [order, sqlOrder] of orders) {
    it(`visits every dataset once in ${order} order, forward and backward`, async () => {
      const expected = await idsInOrder(sqlOrder);
      const forward = await walkKeyset((page) => repos.datasets.list({}, order, cursors.page(page)), 'forward', 100, (row) => row.id);
      expect(forward).toEqual(expected);
      const backward = await walkKeyset((page) => repos.datasets.list({}, order, cursors.page(page)), 'backward', 77, (row) => row.id);
      expect(backward).toEqual(expected);
    });
  }

  it('refuses a cursor of another ordering', async () => {
    const page = await repos.datasets.list({}, 'TITLE', cursors.page({ first: 1 }));
    await expect(repos.datasets.list({}, 'DOWNLOADS', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
  });

  it('pages datasets by publisher in one statement, as list() would per publisher', async () => {
    const publishers = [agencyId('SYT'), agencyId('IOC'), agencyId('UBND-HC'), agencyId('DSAC'), 999];
    const cases: Array<[DatasetWhere, DatasetOrder, PageArgs]> = [
      [{}, 'TITLE', { first: 5 }],
      [{ accessLevels: ['PUBLIC'] }, 'DOWNLOADS', { last: 3 }],
      [{ search: 'danh sach' }, 'UPDATED_AT', { first: 4 }],
    ];
    for (const [filter, order, page] of cases) {
      const stats = new QueryStats();
      const pages = await counting(stats, (counted) => counted.datasets.pagesByPublisher({ parentIds: publishers, filter, order, page: cursors.page(page) }));
      expect(stats.bySource.opendata).toBe(1);
      expect([...pages.keys()]).toEqual(publishers);
      for (const id of publishers) {
        expect(pages.get(id)).toEqual(await repos.datasets.list({ ...filter, publisherId: id }, order, cursors.page(page)));
      }
      expect(pages.get(999)!.edges).toEqual([]);
    }
    // A second page for one publisher, continuing from its own cursor.
    const first = (await repos.datasets.pagesByPublisher({ parentIds: [agencyId('SYT')], filter: {}, order: 'TITLE', page: cursors.page({ first: 2 }) })).get(agencyId('SYT'))!;
    const next = await repos.datasets.pagesByPublisher({ parentIds: [agencyId('SYT')], filter: {}, order: 'TITLE', page: cursors.page({ first: 2, after: first.edges[1]!.cursor }) });
    expect(next.get(agencyId('SYT'))).toEqual(await repos.datasets.list({ publisherId: agencyId('SYT') }, 'TITLE', cursors.page({ first: 2, after: first.edges[1]!.cursor })));
  });

  it('counts datasets per category (facets)', async () => {
    const facets = await repos.datasets.categoryCounts({});
    expect(facets).toHaveLength(12);
    expect(facets.reduce((sum, f) => sum + f.count, 0)).toBe(await repos.datasets.count({}));
    const scoped = await repos.datasets.categoryCounts({ accessLevels: ['PUBLIC'], search: 'quan' });
    for (const facet of scoped) expect(facet.count).toBe(await repos.datasets.count({ accessLevels: ['PUBLIC'], search: 'quan', category: facet.category }));
  });

  it('loads the resources of a batch of datasets in one statement, ordered', async () => {
    const stats = new QueryStats();
    const rows = await counting(stats, (counted) => counted.resources.findByDatasetIds([5, 2, 9]));
    expect(stats.bySource.opendata).toBe(1);
    expect(new Set(rows.map((r) => r.dataset_id))).toEqual(new Set([2, 5, 9]));
    const keys = rows.map((r) => [r.dataset_id, r.id] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    for (const r of rows) {
      expect(r.url).toMatch(/^https:\/\/opendata\.danang\.gov\.vn\//);
      expect(r.size_bytes === null).toBe(r.format === 'API');
    }
    const counts = await sql<{ n: number }>`select count(*)::int as n from opendata.dataset_resources group by dataset_id`.execute(dbs.connections.sources.opendata.root);
    expect(counts.rows.every((r) => r.n >= 1 && r.n <= 4)).toBe(true);
    expect(counts.rows).toHaveLength(1200);
  });

  it('pages with resources in one statement: the pages of list() without them, each dataset its own resources', async () => {
    const own = agencyId('STNMT');
    const filters: DatasetWhere[] = [
      {},
      { category: 'Y tế' },
      { accessLevels: ['PUBLIC'], ownAgencyId: own },
      { format: 'GeoJSON', licence: 'CC0-1.0' },
      { updatedFrom: new Date('2024-06-01T00:00:00Z'), tag: 'xe buýt' },
      // Built per call (a search's words are its statement's shape; 0 is a falsy value given).
      { search: 'da nang' },
      { publisherId: 0 },
    ];
    for (const filter of filters) {
      for (const order of ['TITLE', 'DOWNLOADS'] as const) {
        const plain = (page: PageArgs) => repos.datasets.list(filter, order, cursors.page(page));
        const withResources = (page: PageArgs) => repos.datasets.list(filter, order, cursors.page(page), ['title', 'publisher_id'], true);
        for (const direction of ['forward', 'backward'] as const) {
          const expected = await walkKeyset(plain, direction, 7, (row) => row.id);
          expect(await walkKeyset(withResources, direction, 7, (row) => row.id)).toEqual(expected);
        }
      }
    }
    const stats = new QueryStats();
    const page = await counting(stats, (counted) => counted.datasets.list({ category: 'Y tế' }, 'DOWNLOADS', cursors.page({ first: 5 }), ['title'], true));
    expect(stats.bySource.opendata).toBe(1);
    const ids = page.edges.map((e) => e.node.id);
    // Only the columns asked, the id and the keyset's (beside the resources' `resource$` columns).
    expect(Object.keys(page.edges[0]!.node).filter((name) => !name.includes('$')).sort()).toEqual(['downloads', 'id', 'title']);
    const all = await repos.resources.findByDatasetIds(ids);
    // The row past the page's end is in the statement too: its resources come along.
    for (const id of ids) expect(page.resources!.get(id)).toEqual(all.filter((r) => r.dataset_id === id));
    // A page with no dataset: no resources.
    const none = await repos.datasets.list({ category: 'no such category' }, 'TITLE', cursors.page({ first: 5 }), undefined, true);
    expect(none.edges).toEqual([]);
    expect(none.resources).toEqual(new Map());
  });

  it('seeds the same rows for the same seed value', async () => {
    const ctx = (seed: number) => ({ scale: scaleNamed('tiny'), seed, sources: dbs.connections.sources, log: () => undefined });
    const first = await fingerprint();
    await seedOpendata(ctx(SEED + 1));
    expect(await fingerprint()).not.toBe(first);
    await seedOpendata(ctx(SEED));
    expect(await fingerprint()).toBe(first);
  });
});
