import { defineModule } from '../module.js';
import { SERVICES_CHECKS, servicesRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { servicesNodes, servicesResolvers } from './graph/index.js';
import { servicesLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { Dossier } from './graph/dossier.type.js';
export { Procedure } from './graph/procedure.type.js';
export { dossierScopeFilter } from './scope.js';

export const servicesModule = defineModule({
  name: 'services',
  describedAs: 'administrative procedures and dossiers (thủ tục hành chính, hồ sơ)',
  migrations,
  checks: SERVICES_CHECKS,
  repositories: servicesRepositories,
  loaders: servicesLoaders,
  resolvers: servicesResolvers,
  nodes: servicesNodes,
  seed: async () => (await import('./seed/seed.js')).seedServices,
});
