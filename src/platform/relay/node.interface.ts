import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything with a global id can be fetched again with `node(id)`. */
@InterfaceType('Node', { description: 'An object with an opaque global id, refetchable with `node(id)`.' })
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id.' })
  id: string;
}
