import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { finishPage, pageWindow, type Keyset, type Page, type PageArgs } from '../keyset.js';

/**
 * One page per parent for a whole batch of parents, in ONE statement: the parent keys are
 * unnested and each runs the keyset window in a lateral subquery, so every parent costs one
 * short index range walk however many parents the batch holds.
 */
export async function fetchPagesByParent<Row>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's database
  db: Kysely<any>,
  parentIds: readonly number[],
  /** The filtered child query of one parent, given a reference to that parent's key. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source's query builder
  children: (parentKey: RawBuilder<number>) => SelectQueryBuilder<any, any, Row>,
  parentOf: (row: Row) => number,
  keyset: Keyset<Row>,
  args: PageArgs,
): Promise<Map<number, Page<Row>>> {
  const keys = [...new Set(parentIds)];
  const pages = new Map<number, Page<Row>>();
  if (keys.length === 0) return pages;

  const window = pageWindow(keyset, args);
  let page = children(sql<number>`${sql.ref('parent.parent_key')}`);
  if (window.where) page = page.where(window.where);
  page = page.orderBy(window.orderBy).limit(window.limit);

  const rows = (await db
    .selectFrom(sql`unnest(${keys}::int[])`.as<'parent'>(sql`parent(parent_key)`))
    .innerJoinLateral(page.as('page'), (join) => join.onTrue())
    .selectAll('page')
    // Keeps each parent's rows in window order (the join alone promises no order).
    .orderBy(window.orderBy)
    .execute()) as Row[];

  const byParent = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) byParent.get(parentOf(row))?.push(row);
  for (const [key, group] of byParent) pages.set(key, finishPage(keyset, window, group, args));
  return pages;
}
