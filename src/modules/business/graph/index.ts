import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { fieldsAsked } from '../../../platform/relay/selection.js';
import { BusinessResolver, CitizenBusinessesResolver } from './business.resolver.js';
import { Business } from './business.type.js';

export const businessNodes: Record<string, NodeFetcher<GraphContext>> = {
  Business: (id, { loaders }, info) => loadAs(loaders.business.businessById, id, Business.from, fieldsAsked(info, 'Business')),
};

export const businessResolvers = [BusinessResolver, CitizenBusinessesResolver] as const;
