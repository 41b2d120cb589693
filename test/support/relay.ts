import { expect } from 'vitest';

/** A Relay connection as the API returns it (totalCount only where the query asks for it). */
export interface Conn<N> {
  totalCount?: number;
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The database row id inside a global id (`Type:id`, base64url). */
export const rowIdOf = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

/**
 * Walks a list page by page, forward (`first`/`after`) or backward (`last`/`before`), checking
 * that no page holds more than `size` edges, and returns the row ids in list order. Gives up
 * with "too many pages" after 500 pages.
 */
export async function walk(
  fetchPage: (args: Record<string, unknown>) => Promise<Conn<{ id: string }>>,
  direction: 'forward' | 'backward',
  size: number,
): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 500; guard += 1) {
    const page = await fetchPage(direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor });
    expect(page.edges.length).toBeLessThanOrEqual(size);
    const ids = page.edges.map((e) => rowIdOf(e.node.id));
    if (direction === 'forward') seen.push(...ids);
    else seen.unshift(...ids);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) return seen;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
  }
  throw new Error('too many pages');
}
