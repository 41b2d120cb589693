import type { Page, PageArgs } from '../../src/platform/db/keyset.js';

export type Direction = 'forward' | 'backward';

/**
 * Walks a repository's keyset list to its end, forward (`first`/`after`) or backward
 * (`last`/`before`), and returns `idOf` of every row in list order.
 */
export async function walkKeyset<Row, Id>(
  list: (page: PageArgs) => Promise<Page<Row>>,
  direction: Direction,
  size: number,
  idOf: (row: Row) => Id,
): Promise<Id[]> {
  const ids: Id[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await list(direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor });
    const pageIds = page.edges.map((e) => idOf(e.node));
    if (direction === 'forward') ids.push(...pageIds);
    else ids.unshift(...pageIds);
    if (!(direction === 'forward' ? page.hasNextPage : page.hasPreviousPage)) return ids;
    cursor = direction === 'forward' ? page.edges.at(-1)!.cursor : page.edges[0]!.cursor;
  }
}

/** Walks the list to the end forward, then backward, with pages of `size`; both sequences. */
export async function walkBothWays<Row, Id>(
  list: (page: PageArgs) => Promise<Page<Row>>,
  size: number,
  idOf: (row: Row) => Id,
): Promise<{ forward: Id[]; backward: Id[] }> {
  const forward = await walkKeyset(list, 'forward', size, idOf);
  const backward = await walkKeyset(list, 'backward', size, idOf);
  return { forward, backward };
}
