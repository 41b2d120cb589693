import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocRepositories, type IndicatorWhere, type IndicatorOrder, type IndicatorRow, type IocRepositories } from '../../../src/modules/ioc/db/index.js';
import type { PageArgs } from '../../../src/platform/db/keyset.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import { seedIoc } from '../../../src/modules/ioc/seed/seed.js';
import { agencies } from '../../../src/modules/reference/seed/agencies.js';
import { wards } from '../../../src/modules/reference/seed/units.js';
import { scaleNamed } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkKeyset } from '../../support/keyset-walk.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

const SEED = 20241031;
const MONTHS = scaleNamed('tiny').observationMonths;
let dbs: SeededDatabases;
let repos: IocRepositories;

beforeAll(async () => {
  dbs = await seededDatabases('tiny', SEED);
  repos = iocRepositories(dbs.connections.sources.ioc.db);
});
afterAll(async () => dbs?.close());

const agencyId = (code: string) => agencies().find((a) => a.code === code)!.id;

async function indicator(code: string): Promise<IndicatorRow> {
  const [row] = await repos.indicators.findByCodes([code]);
  return row!;
}

async function fingerprint(): Promise<string> {
  const { rows } = await sql<{ hash: string }>`
    select md5(coalesce((select string_agg(i::text, '|' order by i.id) from ioc.indicators i), '')
      || coalesce((select string_agg(o::text, '|' order by o.id) from ioc.observations o), '')) as hash`.execute(dbs.connections.sources.ioc.root);
  return rows[0]!.hash;
}


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: IocRepositories) => T): T {
  return fn(iocRepositories(countedOn(dbs.connections.sources.ioc.db, 'ioc', stats)));
}

describe('ioc repositories', () => {
  it("holds the article's figures at their periods", async () => {
    const grdp = await indicator('DIGITAL_ECONOMY_GRDP_SHARE');
    expect(grdp.target).toBe(20);
    expect(grdp.target_year).toBe(2025);
    expect(grdp.source_note).toMatch(/10\/2024/);
    const grdp2023 = await repos.observations.list(grdp.id, { from: '2023-01-01', to: '2023-01-01' }, cursors.page({ first: 5 }));
    expect(grdp2023.edges.map((e) => e.node.value)).toEqual([20.69]);

    const codes = ['FULL_ONLINE_PUBLIC_SERVICES_RATE', 'FULL_ONLINE_DOSSIERS_RATE', 'DIGITAL_TECH_ENTERPRISES_PER_1000', 'OPEN_DATASETS_SHARED'];
    const rows = await repos.indicators.findByCodes(codes);
    const latest = await repos.observations.latest(rows.map((r) => r.id), null);
    const byCode = Object.fromEntries(rows.map((r) => [r.code, latest.get(r.id)!]));
    expect(byCode.FULL_ONLINE_PUBLIC_SERVICES_RATE).toMatchObject({ period: '2024-10-01', value: 95 });
    expect(byCode.FULL_ONLINE_DOSSIERS_RATE).toMatchObject({ period: '2024-10-01', value: 65 });
    expect(byCode.DIGITAL_TECH_ENTERPRISES_PER_1000).toMatchObject({ period: '2023-01-01', value: 2.3 });
    expect(byCode.OPEN_DATASETS_SHARED).toMatchObject({ period: '2024-10-01', value: 1200 });

    const growth = await repos.indicators.findByCodes(['IT_INDUSTRY_REVENUE_GROWTH', 'SOFTWARE_EXPORT_GROWTH']);
    const series = await repos.observations.series(growth.map((g) => g.id), {});
    const revenue = series.get(growth.find((g) => g.code === 'IT_INDUSTRY_REVENUE_GROWTH')!.id)!;
    expect(revenue.length).toBeGreaterThanOrEqual(4);
    expect(revenue.every((p) => p.value >= 10 && p.value <= 15)).toBe(true);
    const software = series.get(growth.find((g) => g.code === 'SOFTWARE_EXPORT_GROWTH')!.id)!;
    expect(software.reduce((sum, p) => sum + p.value, 0) / software.length).toBeCloseTo(15, 5);
  });

  it('finds a batch of indicators by id and code', async () => {
    const rows = await repos.indicators.findByIds([2, 1, 999]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 2]);
    const total = await repos.indicators.count({});
    expect(total).toBeGreaterThanOrEqual(27);
  });

  it('filters by visibility scope, owner, category and search without diacritics', async () => {
    const total = await repos.indicators.count({});
    const internal = await repos.indicators.count({ visibility: 'INTERNAL' });
    expect(internal).toBeGreaterThan(0);
    expect(await repos.indicators.count({ visibilities: ['PUBLIC'] })).toBe(total - internal);
    const ioc = agencyId('IOC');
    const iocInternal = await repos.indicators.count({ visibility: 'INTERNAL', ownerId: ioc });
    expect(iocInternal).toBeGreaterThan(0);
    expect(await repos.indicators.count({ visibilities: ['PUBLIC'], ownAgencyId: ioc })).toBe(total - internal + iocInternal);

    const digital = await repos.indicators.list({ category: 'Kinh tế số' }, 'CODE', cursors.page({ first: 20 }));
    expect(digital.edges.map((e) => e.node.code)).toContain('DIGITAL_ECONOMY_GRDP_SHARE');
    const found = await repos.indicators.list({ search: 'ho so xu ly truc tuyen' }, 'NAME', cursors.page({ first: 20 }));
    expect(found.edges.map((e) => e.node.name)).toContain('Tỷ lệ hồ sơ xử lý trực tuyến toàn trình');
  });

  for (const order of ['NAME', 'CODE'] as IndicatorOrder[]) {
    it(`visits every indicator once in ${order} order, forward and backward`, async () => {
      const column = order === 'NAME' ? 'name_sort' : 'code';
      const { rows } = await sql<{ id: number }>`select id from ioc.indicators order by ${sql.ref(column)}, id`.execute(dbs.connections.sources.ioc.root);
      const expected = rows.map((r) => r.id);
      expect(await walkKeyset((page) => repos.indicators.list({}, order, cursors.page(page)), 'forward', 4, (row) => row.id)).toEqual(expected);
      expect(await walkKeyset((page) => repos.indicators.list({}, order, cursors.page(page)), 'backward', 5, (row) => row.id)).toEqual(expected);
    });
  }

  it('refuses a cursor of another ordering', async () => {
    const page = await repos.indicators.list({}, 'NAME', cursors.page({ first: 1 }));
    await expect(repos.indicators.list({}, 'CODE', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
  });

  it('pages indicators by owner in one statement, as list() would per owner', async () => {
    const owners = [agencyId('STTTT'), agencyId('IOC'), agencyId('SDL'), agencyId('UBND-HC')];
    const cases: Array<[IndicatorWhere, IndicatorOrder, PageArgs]> = [
      [{}, 'NAME', { first: 3 }],
      [{ visibilities: ['PUBLIC'] }, 'CODE', { last: 2 }],
    ];
    for (const [filter, order, page] of cases) {
      const stats = new QueryStats();
      const pages = await counting(stats, (counted) => counted.indicators.pagesByOwner({ parentIds: owners, filter, order, page: cursors.page(page) }));
      expect(stats.bySource.ioc).toBe(1);
      for (const id of owners) expect(pages.get(id)).toEqual(await repos.indicators.list({ ...filter, ownerId: id }, order, cursors.page(page)));
    }
  });

  it('keeps one value per ward and month for ward indicators, and the city-wide total', async () => {
    const received = await indicator('DOSSIERS_RECEIVED');
    expect(received.granularity).toBe('WARD');
    expect(await repos.observations.count(received.id, { cityWide: false })).toBe(wards().length * MONTHS);
    expect(await repos.observations.count(received.id, { cityWide: true })).toBe(MONTHS);
    const ward = wards()[0]!.id;
    const points = await repos.observations.series([received.id], { wardId: ward });
    expect(points.get(received.id)!.map((p) => p.period)).toEqual(
      Array.from({ length: MONTHS }, (_, i) => new Date(Date.UTC(2024, 9 - (MONTHS - 1 - i), 1)).toISOString().slice(0, 10)),
    );
    const { rows } = await sql<{ period: string; total: number; city: number }>`
      select o.period, sum(o.value) filter (where o.ward_id is not null) as total, max(o.value) filter (where o.ward_id is null) as city
      from ioc.observations o where o.indicator_id = ${received.id} group by o.period`.execute(dbs.connections.sources.ioc.root);
    for (const row of rows) expect(Number(row.city)).toBe(Number(row.total));
  });

  it('pages observations by indicator in one statement, newest first, as list() would', async () => {
    const ids = (await repos.indicators.findByCodes(['DOSSIERS_RECEIVED', 'AIR_QUALITY_INDEX', 'DIGITAL_ECONOMY_GRDP_SHARE', 'TOURIST_ARRIVALS'])).map((r) => r.id);
    const ward = wards()[3]!.id;
    const cases: Array<[Parameters<IocRepositories['observations']['list']>[1], PageArgs]> = [
      [{}, { first: 10 }],
      [{ wardId: ward }, { first: 5 }],
      [{ cityWide: true, from: '2024-03-01', to: '2024-08-01' }, { last: 4 }],
    ];
    for (const [filter, page] of cases) {
      const stats = new QueryStats();
      const pages = await counting(stats, (counted) => counted.observations.pagesByIndicator({ parentIds: ids, filter, page: cursors.page(page) }));
      expect(stats.bySource.ioc).toBe(1);
      for (const id of ids) expect(pages.get(id)).toEqual(await repos.observations.list(id, filter, cursors.page(page)));
    }
    const received = (await indicator('DOSSIERS_RECEIVED')).id;
    const all = await walkKeyset((page) => repos.observations.list(received, {}, cursors.page(page)), 'forward', 100, (row) => row.id);
    expect(new Set(all).size).toBe((wards().length + 1) * MONTHS);
    expect(await walkKeyset((page) => repos.observations.list(received, {}, cursors.page(page)), 'backward', 97, (row) => row.id)).toEqual(all);
    const first = await repos.observations.list(received, {}, cursors.page({ first: 3 }));
    const periods = first.edges.map((e) => e.node.period);
    expect(periods).toEqual([...periods].sort().reverse());
  });

  it('serves dashboard series and latest values in one statement each', async () => {
    const ids = (await repos.indicators.findByCodes(['AIR_QUALITY_INDEX', 'TOURIST_ARRIVALS', 'SOFTWARE_EXPORT_GROWTH'])).map((r) => r.id);
    const stats = new QueryStats();
    const series = await counting(stats, (counted) => counted.observations.series(ids, { from: '2024-01-01', to: '2024-10-01' }));
    const latestCity = await counting(stats, (counted) => counted.observations.latest(ids, null));
    const ward = wards()[10]!.id;
    const latestWard = await counting(stats, (counted) => counted.observations.latest(ids, ward));
    expect(stats.bySource.ioc).toBe(3);
    for (const id of ids) {
      const points = series.get(id)!;
      expect(points.every((p) => p.ward_id === null && p.period >= '2024-01-01' && p.period <= '2024-10-01')).toBe(true);
      expect(points.map((p) => p.period)).toEqual([...points.map((p) => p.period)].sort());
    }
    expect([...latestCity.values()].every((o) => o.ward_id === null)).toBe(true);
    // Only the ward indicator (air quality) has a value per ward.
    expect([...latestWard.values()].map((o) => [o.ward_id, o.period])).toEqual([[ward, '2024-10-01']]);
  });

  it('pages with each indicator\'s latest city-wide value in one statement: the pages of list() without it, the values of latest()', async () => {
    const own = agencyId('STTTT');
    const filters: IndicatorWhere[] = [
      {},
      { visibilities: ['PUBLIC'], ownAgencyId: own },
      { visibilities: ['PUBLIC', 'INTERNAL'] },
      { ownerId: own, category: 'Chuyển đổi số' },
      { visibility: 'PUBLIC' },
      // Built per call (a search's words are its statement's shape; 0 is a falsy value given).
      { search: 'dich vu cong' },
      { ownerId: 0 },
    ];
    for (const filter of filters) {
      for (const order of ['NAME', 'CODE'] as const) {
        const plain = (page: PageArgs) => repos.indicators.list(filter, order, cursors.page(page));
        const withLatest = (page: PageArgs) => repos.indicators.list(filter, order, cursors.page(page), ['name', 'owner_id'], true);
        for (const direction of ['forward', 'backward'] as const) {
          const expected = await walkKeyset(plain, direction, 4, (row) => row.id);
          expect(await walkKeyset(withLatest, direction, 4, (row) => row.id)).toEqual(expected);
        }
      }
    }
    const stats = new QueryStats();
    const page = await counting(stats, (counted) => counted.indicators.list({ visibilities: ['PUBLIC'] }, 'CODE', cursors.page({ first: 6 }), ['name'], true));
    expect(stats.bySource.ioc).toBe(1);
    expect(page.edges).toHaveLength(6);
    // Only the columns asked, the id and the keyset's (beside the observations' `latest$` columns).
    expect(Object.keys(page.edges[0]!.node).filter((name) => !name.includes('$')).sort()).toEqual(['code', 'id', 'name']);
    const ids = page.edges.map((e) => e.node.id);
    const latest = await repos.observations.latest(ids, null);
    for (const id of ids) expect(page.latest!.get(id) ?? null).toEqual(latest.get(id) ?? null);
  });

  it('seeds the same rows for the same seed value', async () => {
    const ctx = (seed: number) => ({ scale: scaleNamed('tiny'), seed, sources: dbs.connections.sources, log: () => undefined });
    const first = await fingerprint();
    await seedIoc(ctx(SEED + 1));
    expect(await fingerprint()).not.toBe(first);
    await seedIoc(ctx(SEED));
    expect(await fingerprint()).toBe(first);
  });
});
