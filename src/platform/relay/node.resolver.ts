import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../errors.js';
import { fromGlobalId } from './global-id.js';
import { Node } from './node.interface.js';

/**
 * Loads one object of a node type by its row id (through the request's loaders), or null. `info`
 * is the `node`/`nodes` field's: a column-aware loader selects only the fields asked of the type
 * (relay/selection.ts `fieldsAsked(info, type)`).
 */
export type NodeFetcher<Ctx> = (id: number, ctx: Ctx, info: GraphQLResolveInfo) => Promise<object | null>;

/**
 * `node(id)` and `nodes(ids)` over the node types given (every module's, see src/modules/index.ts):
 * built from that map, so that no import has to register anything.
 */
export function createNodeResolver<C>(fetchers: ReadonlyMap<string, NodeFetcher<C>>) {
  async function fetchNode(globalId: string, ctx: C, info: GraphQLResolveInfo): Promise<object | null> {
    const decoded = fromGlobalId(globalId);
    const fetch = decoded && fetchers.get(decoded.type);
    // A missing object and an id of an unknown type answer alike: null.
    if (!decoded || !fetch) return null;
    return fetch(decoded.id, ctx, info);
  }

  @Resolver()
  class NodeResolver {
    @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when there is none.' })
    node(@Arg('id', () => ID, { description: 'An opaque global id, as read from an `id` field.' }) id: string, @Ctx() ctx: C, @Info() info: GraphQLResolveInfo): Promise<object | null> {
      return fetchNode(id, ctx, info);
    }

    @Query(() => [Node], { nullable: 'items', description: 'Objects by global id, in the order asked; null where there is none (at most 100).' })
    nodes(@Arg('ids', () => [ID], { description: 'Opaque global ids (at most 100).' }) ids: string[], @Ctx() ctx: C, @Info() info: GraphQLResolveInfo): Promise<Array<object | null>> {
      if (ids.length > 100) throw badUserInput('nodes takes at most 100 ids');
      return Promise.all(ids.map((id) => fetchNode(id, ctx, info)));
    }
  }
  return NodeResolver;
}
