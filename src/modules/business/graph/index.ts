import { registerNodeType } from '../../../platform/relay/node-registry.js';
import { BusinessResolver, CitizenBusinessesResolver } from './business.resolver.js';
import { Business } from './business.type.js';

registerNodeType('Business', async (id, { loaders }) => {
  const row = await loaders.businessById.load(id);
  return row ? Business.from(row) : null;
});

export const businessResolvers = [BusinessResolver, CitizenBusinessesResolver] as const;
