import { describe, expect, it } from 'vitest';
import type { DatasetResourceRow } from '../../../src/modules/opendata/db/index.js';
import { resourcePage } from '../../../src/modules/opendata/graph/resource-page.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';
import { pageFromRows, PageArgumentError, type Keyset, type PageArgs } from '../../../src/platform/db/keyset.js';

const cursors = CursorCodec.fromSecret('resource page tests cursor key');
const KEYSET: Keyset<DatasetResourceRow> = { name: 'resource:id', columns: ['id'], direction: 'asc' };
const rows = [3, 8, 9, 14].map((id) => ({ id, dataset_id: 1, name: `r${id}`, format: 'CSV', url: `https://x/${id}`, size_bytes: id, created_at: new Date(0) }) as DatasetResourceRow);

/** What a client sees of a page: the rows, the cursors, the flags, the count. */
const seen = (page: ReturnType<typeof resourcePage>) => ({ ...page, edges: page.edges.map((e) => ({ id: e.node.id, cursor: e.cursor })) });

describe('resourcePage', () => {
  it('cuts the pages pageFromRows cuts, with or without a cursor, again and again (windows kept per first/last)', () => {
    const cursor = pageFromRows(rows, KEYSET, cursors.page({ first: 2 })).edges[1]!.cursor;
    const cases: PageArgs[] = [{}, { first: 0 }, { first: 1 }, { first: 4 }, { first: 9 }, { last: 0 }, { last: 2 }, { last: 9 }, { first: 1, after: cursor }, { last: 1, before: cursor }];
    for (let round = 0; round < 2; round += 1) {
      for (const args of cases) {
        expect(seen(resourcePage(rows, cursors.page(args)))).toEqual(seen(pageFromRows(rows, KEYSET, cursors.page(args))));
        expect(seen(resourcePage([], cursors.page(args)))).toEqual(seen(pageFromRows([], KEYSET, cursors.page(args))));
      }
    }
  });

  it('refuses the arguments pageWindow refuses, every time', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(() => resourcePage(rows, cursors.page({ first: 101 }))).toThrow(PageArgumentError);
      expect(() => resourcePage(rows, cursors.page({ first: 1, last: 1 }))).toThrow(PageArgumentError);
    }
  });
});
