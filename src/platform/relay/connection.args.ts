import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page size going forward (0 to 100, default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the edge to start after.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size going backward (0 to 100).' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the edge to end before.' })
  before?: string | null;
}
