import { defineModule } from '../module.js';
import { servicesRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { servicesNodes, servicesResolvers } from './graph/index.js';
import { servicesLoaders } from './loaders.js';

export const servicesModule = defineModule({
  name: 'services',
  migrations,
  repositories: servicesRepositories,
  loaders: servicesLoaders,
  resolvers: servicesResolvers,
  nodes: servicesNodes,
  seed: async () => (await import('./seed/seed.js')).seedServices,
});
