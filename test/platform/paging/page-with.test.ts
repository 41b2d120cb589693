import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpendataDatabase } from '../../../src/modules/opendata/db/tables.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';
import type { Keyset, PageArgs } from '../../../src/platform/db/keyset.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import { columnsOf, JoinedColumns } from '../../../src/platform/paging/columns.js';
import { fetchPageWith, fetchPageWithShape, type SlotOf } from '../../../src/platform/paging/page-with.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkKeyset } from '../../support/keyset-walk.js';

const cursors = CursorCodec.fromSecret('page-with tests cursor key');
let dbs: SeededDatabases;
let db: Kysely<OpendataDatabase>;

beforeAll(async () => {
  dbs = await seededDatabases('tiny', 20241031);
  db = dbs.connections.sources.opendata.db as Kysely<OpendataDatabase>;
});
afterAll(async () => dbs?.close());

type Row = { id: number; downloads: number; title: string };
const KEYSET: Keyset<Row> = { name: 'test:downloads', columns: ['downloads', 'id'], direction: 'desc' };
const RESOURCE = new JoinedColumns<{ id: number; name: string }>('resource', columnsOf<{ id: number; name: string }>({ id: true, name: true }));

interface Input {
  category: string;
  minimum: number;
}

/** The page's query, its resources joined; with `slot`, a template's. */
function parts(input: Input, slot?: SlotOf<Input>) {
  const value = <T>(read: (i: Input) => T): T => (slot ? slot(read) : read(input));
  return {
    query: db
      .selectFrom('datasets')
      .select(['id', 'downloads', 'title'])
      .where('category', '=', value((i) => i.category))
      .where('downloads', '>=', value((i) => i.minimum)),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's outer query
    join: (outer: any) => outer.leftJoin('dataset_resources as resource', 'resource.dataset_id', 'page.id').select(RESOURCE.selection),
    thenBy: sql`${sql.ref('resource.id')} asc`,
  };
}

describe('fetchPageWithShape', () => {
  it('builds a shape once and sends it again with each call’s values: the pages and rows of fetchPageWith', async () => {
    let builds = 0;
    const shaped = (input: Input, page: PageArgs, on: Kysely<OpendataDatabase> = db) =>
      fetchPageWithShape(on, {
        key: 'test:datasets+resources',
        input,
        keyset: KEYSET,
        page: cursors.page(page),
        build: (slot) => {
          builds += 1;
          return parts(input, slot);
        },
      });
    const perCall = (input: Input, page: PageArgs) => fetchPageWith(db, { ...parts(input), keyset: KEYSET, page: cursors.page(page) });
    for (const input of [
      { category: 'Y tế', minimum: 0 },
      { category: 'Giao thông', minimum: 500 },
    ]) {
      for (const direction of ['forward', 'backward'] as const) {
        const expected = await walkKeyset(async (page) => (await perCall(input, page)).page, direction, 4, (row) => row.id);
        expect(expected.length).toBeGreaterThan(4);
        expect(await walkKeyset(async (page) => (await shaped(input, page)).page, direction, 4, (row) => row.id)).toEqual(expected);
      }
      const [a, b] = [await perCall(input, { first: 6 }), await shaped(input, { first: 6 })];
      expect(b.joined).toEqual(a.joined);
      expect(b.joined.map((row) => RESOURCE.from(row)?.name ?? null)).toEqual(a.joined.map((row) => RESOURCE.from(row)?.name ?? null));
    }
    // One build per window shape (first; first after; last; last before), not per call or per value.
    expect(builds).toBe(4);
    // Counted as any statement on the request's counter.
    const stats = new QueryStats();
    await shaped({ category: 'Y tế', minimum: 0 }, { first: 3 }, countedOn(db, 'opendata', stats));
    expect(stats.bySource).toEqual({ opendata: 1 });
    expect(builds).toBe(4);
  });

  it('refuses a template with a value built in without its slot', async () => {
    const input = { category: 'Y tế', minimum: 0 };
    const page = cursors.page({ first: 3 });
    const run = () =>
      fetchPageWithShape(db, { key: 'test:unslotted', input, keyset: KEYSET, page, build: (slot) => ({ ...parts(input, slot), query: parts(input).query }) });
    await expect(run()).rejects.toThrow(/without its slot/);
  });
});

describe('columnsOf and JoinedColumns', () => {
  it('lists every column once and reads a joined row back, null when the join found none', () => {
    const columns = columnsOf<{ id: number; name: string | null }>({ id: true, name: true });
    expect(columns).toEqual(['id', 'name']);
    const joined = new JoinedColumns<{ id: number; name: string | null }>('x', columns);
    expect(joined.from({ id: 1, x$id: 7, x$name: null })).toEqual({ id: 7, name: null });
    expect(joined.from({ id: 1, x$id: null, x$name: null })).toBeNull();
    // @ts-expect-error -- a column the row type lacks is refused
    columnsOf<{ id: number }>({ id: true, other: true });
    // @ts-expect-error -- a column of the row type left out is refused
    columnsOf<{ id: number; name: string }>({ id: true });
  });
});
