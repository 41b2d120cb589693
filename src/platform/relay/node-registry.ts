import type { GraphContext } from '../../modules/context.js';

/** Loads one object of a node type by its row id (through the request's loaders), or null. */
export type NodeFetcher = (id: number, ctx: GraphContext) => Promise<object | null>;

const fetchers = new Map<string, NodeFetcher>();

/** Each domain registers its node types here so that `node(id)` reaches every one of them. */
export function registerNodeType(typeName: string, fetch: NodeFetcher): void {
  fetchers.set(typeName, fetch);
}

export function nodeFetcher(typeName: string): NodeFetcher | undefined {
  return fetchers.get(typeName);
}

export function registeredNodeTypes(): string[] {
  return [...fetchers.keys()].sort();
}
