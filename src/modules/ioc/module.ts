import { defineModule } from '../module.js';
import { IOC_CHECKS, iocRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { iocNodes, iocResolvers } from './graph/index.js';
import { iocLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { Indicator } from './graph/indicator.type.js';

export const iocModule = defineModule({
  name: 'ioc',
  describedAs: "the IOC's indicators",
  migrations,
  checks: IOC_CHECKS,
  repositories: iocRepositories,
  loaders: iocLoaders,
  resolvers: iocResolvers,
  nodes: iocNodes,
  seed: async () => (await import('./seed/seed.js')).seedIoc,
});
