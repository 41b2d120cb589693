import { defineModule } from '../module.js';
import { POPULATION_CHECKS, populationRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { populationNodes, populationResolvers } from './graph/index.js';
import { populationLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { Citizen } from './graph/citizen.type.js';
export { Household } from './graph/household.type.js';

export const populationModule = defineModule({
  name: 'population',
  describedAs: 'the population register (citizens, công dân; households, hộ khẩu)',
  migrations,
  checks: POPULATION_CHECKS,
  repositories: populationRepositories,
  loaders: populationLoaders,
  resolvers: populationResolvers,
  nodes: populationNodes,
  seed: async () => (await import('./seed/seed.js')).seedPopulation,
});
