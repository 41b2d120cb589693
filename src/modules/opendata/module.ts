import { defineModule } from '../module.js';
import { OPENDATA_CHECKS, opendataRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { opendataNodes, opendataResolvers } from './graph/index.js';
import { opendataLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { Dataset } from './graph/dataset.type.js';

export const opendataModule = defineModule({
  name: 'opendata',
  describedAs: 'the open-data catalogue',
  migrations,
  checks: OPENDATA_CHECKS,
  repositories: opendataRepositories,
  loaders: opendataLoaders,
  resolvers: opendataResolvers,
  nodes: opendataNodes,
  seed: async () => (await import('./seed/seed.js')).seedOpendata,
});
