import { defineModule } from '../module.js';
import { REFERENCE_CHECKS, referenceRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { referenceNodes, referenceResolvers } from './graph/index.js';
import { referenceLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { AdministrativeUnit } from './graph/administrative-unit.type.js';
export { Agency } from './graph/agency.type.js';
export { districtWardIds } from './graph/district-wards.js';

export const referenceModule = defineModule({
  name: 'reference',
  describedAs: 'administrative units and agencies',
  migrations,
  checks: REFERENCE_CHECKS,
  repositories: referenceRepositories,
  loaders: referenceLoaders,
  resolvers: referenceResolvers,
  nodes: referenceNodes,
  seed: async () => (await import('./seed/seed.js')).seedReference,
});
