import { defineModule } from '../module.js';
import { BUSINESS_CHECKS, businessRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { businessNodes, businessResolvers } from './graph/index.js';
import { businessLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { Business } from './graph/business.type.js';

export const businessModule = defineModule({
  name: 'business',
  describedAs: 'the business register',
  migrations,
  checks: BUSINESS_CHECKS,
  repositories: businessRepositories,
  loaders: businessLoaders,
  resolvers: businessResolvers,
  nodes: businessNodes,
  seed: async () => (await import('./seed/seed.js')).seedBusiness,
});
