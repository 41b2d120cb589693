import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageArgs } from '../../../src/platform/db/keyset.js';
import { referenceRepositories, type ReferenceRepositories } from '../../../src/modules/reference/db/index.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkKeyset } from '../../support/keyset-walk.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

let dbs: SeededDatabases;
let repos: ReferenceRepositories;

beforeAll(async () => {
  dbs = await seededDatabases();
  repos = referenceRepositories(dbs.connections.sources.reference.db);
});
afterAll(async () => dbs?.close());


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: ReferenceRepositories) => T): T {
  return fn(referenceRepositories(countedOn(dbs.connections.sources.reference.db, 'reference', stats)));
}

describe('reference repositories', () => {
  it('holds Da Nang: 1 city, 8 districts, 56 wards and communes', async () => {
    expect(await repos.units.count({ level: 'CITY' })).toBe(1);
    expect(await repos.units.count({ level: 'DISTRICT' })).toBe(8);
    expect(await repos.units.count({ level: 'WARD' })).toBe(56);
  });

  it('finds a batch of units by id', async () => {
    const rows = await repos.units.findByIds([3, 1, 999_999]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 3]);
  });

  it('searches names without diacritics', async () => {
    const page = await repos.units.list({ search: 'hoa khanh' }, 'NAME', cursors.page({ first: 10 }));
    expect(page.edges.map((e) => e.node.name)).toEqual(['Hòa Khánh Bắc', 'Hòa Khánh Nam']);
    const city = await repos.units.list({ search: 'da nang' }, 'NAME', cursors.page({ first: 10 }));
    expect(city.edges.map((e) => e.node.name)).toContain('Đà Nẵng');
  });

  it('visits every ward exactly once paging forward, and backward', async () => {
    const wards = (page: PageArgs) => repos.units.list({ level: 'WARD' }, 'NAME', cursors.page(page));
    const forward = await walkKeyset(wards, 'forward', 7, (u) => u.id);
    expect(forward).toHaveLength(56);
    expect(new Set(forward).size).toBe(56);

    const backward = await walkKeyset(wards, 'backward', 9, (u) => u.id);
    expect(backward).toEqual(forward);
  });

  it('refuses a cursor of another ordering', async () => {
    const page = await repos.units.list({}, 'NAME', cursors.page({ first: 1 }));
    await expect(repos.units.list({}, 'CODE', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
  });

  it('finds agencies by code', async () => {
    const rows = await repos.agencies.findByCodes(['STTTT', 'IOC']);
    expect(rows.map((r) => r.code).sort()).toEqual(['IOC', 'STTTT']);
  });
});

describe('batched children', () => {
  it('gives each parent the page a single list would, in one statement', async () => {
    const districts = await repos.units.list({ level: 'DISTRICT' }, 'CODE', cursors.page({ first: 10 }));
    const ids = districts.edges.map((e) => e.node.id);
    const stats = new QueryStats();
    const pages = await counting(stats, (counted) => counted.units.pagesByParent({ parentIds: ids, order: 'NAME', page: cursors.page({ first: 3 }) }));
    expect(stats.total).toBe(1);
    for (const id of ids) {
      const single = await repos.units.list({ parentId: id }, 'NAME', cursors.page({ first: 3 }));
      expect(pages.get(id)).toEqual(single);
    }
    const second = await repos.units.pagesByParent({ parentIds: ids, order: 'NAME', page: cursors.page({ first: 3, after: pages.get(ids[2]!)!.edges.at(-1)!.cursor }) });
    const single = await repos.units.list({ parentId: ids[2]! }, 'NAME', cursors.page({ first: 3, after: pages.get(ids[2]!)!.edges.at(-1)!.cursor }));
    expect(second.get(ids[2]!)).toEqual(single);
  });
});
