import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { BusinessResolver, CitizenBusinessesResolver } from './business.resolver.js';
import { Business } from './business.type.js';

export const businessNodes: Record<string, NodeFetcher<GraphContext>> = {
  Business: (id, { loaders }) => loadAs(loaders.business.businessById, id, Business.from),
};

export const businessResolvers = [BusinessResolver, CitizenBusinessesResolver] as const;
