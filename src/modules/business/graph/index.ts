import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { BusinessResolver, CitizenBusinessesResolver } from './business.resolver.js';
import { Business } from './business.type.js';

export const businessNodes: Record<string, NodeFetcher<GraphContext>> = {
  Business: async (id, { loaders }) => {
    const row = await loaders.business.businessById.load(id);
    return row ? Business.from(row) : null;
  },
};

export const businessResolvers = [BusinessResolver, CitizenBusinessesResolver] as const;
