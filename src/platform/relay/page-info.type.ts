import { Field, ObjectType } from 'type-graphql';

/**
 * Where a page stands. The cursors are read from the page's edges when a client selects them:
 * an edge seals its cursor (AES-GCM) only on first read, so a document that asks no cursor
 * encodes none, and one that asks `endCursor` encodes one.
 */
@ObjectType('PageInfo', { description: 'Where a page stands in its list (Relay cursor connections).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether rows follow this page: going forward, whether there is a next page; going backward, whether `before` was given.' })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'Whether rows precede this page: going backward, whether there is a previous page; going forward, whether `after` was given.' })
  hasPreviousPage: boolean;

  private edges: ReadonlyArray<{ readonly cursor: string }> = [];

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of the page; null for an empty page.' })
  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the page; null for an empty page.' })
  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }

  static of(page: { edges: ReadonlyArray<{ readonly cursor: string }>; hasNextPage: boolean; hasPreviousPage: boolean }): PageInfo {
    const info = new PageInfo();
    info.hasNextPage = page.hasNextPage;
    info.hasPreviousPage = page.hasPreviousPage;
    info.edges = page.edges;
    return info;
  }
}
