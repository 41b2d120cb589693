import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphContext } from '../../modules/context.js';
import { badUserInput } from '../errors.js';
import { fromGlobalId } from './global-id.js';
import { nodeFetcher } from './node-registry.js';
import { Node } from './node.interface.js';

async function fetchNode(globalId: string, ctx: GraphContext): Promise<object | null> {
  const decoded = fromGlobalId(globalId);
  const fetch = decoded && nodeFetcher(decoded.type);
  // A missing object and an id of an unknown type answer alike: null.
  if (!decoded || !fetch) return null;
  return fetch(decoded.id, ctx);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when there is none.' })
  node(@Arg('id', () => ID, { description: 'An opaque global id, as read from an `id` field.' }) id: string, @Ctx() ctx: GraphContext): Promise<object | null> {
    return fetchNode(id, ctx);
  }

  @Query(() => [Node], { nullable: 'items', description: 'Objects by global id, in the order asked; null where there is none (at most 100).' })
  nodes(@Arg('ids', () => [ID], { description: 'Opaque global ids (at most 100).' }) ids: string[], @Ctx() ctx: GraphContext): Promise<Array<object | null>> {
    if (ids.length > 100) throw badUserInput('nodes takes at most 100 ids');
    return Promise.all(ids.map((id) => fetchNode(id, ctx)));
  }
}
