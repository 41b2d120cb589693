import { Field, ObjectType } from 'type-graphql';

@ObjectType('PageInfo', { description: 'Where a page stands in its list (Relay cursor connections).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether rows follow this page: going forward, whether there is a next page; going backward, whether `before` was given.' })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'Whether rows precede this page: going backward, whether there is a previous page; going forward, whether `after` was given.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of the page; null for an empty page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the page; null for an empty page.' })
  endCursor: string | null;
}
