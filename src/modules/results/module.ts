import { defineModule } from '../module.js';
import { RESULTS_CHECKS, resultsRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { resultsNodes, resultsResolvers } from './graph/index.js';
import { resultsLoaders } from './loaders.js';

/** What other modules may use of this one. */
export { ProcedureResult } from './graph/procedure-result.type.js';
export { resultScopeFilter } from './scope.js';

/**
 * The digital repository of administrative procedure results (kho kết quả thủ tục hành chính số):
 * the certificates, licences and decisions issued when dossiers complete. Its relations to the
 * other sources (Dossier.result, Citizen.results, Business.results, and back) are defined here,
 * through the other modules' manifests and the request's loaders.
 */
export const resultsModule = defineModule({
  name: 'results',
  describedAs: 'the repository of procedure results (kết quả thủ tục hành chính)',
  migrations,
  checks: RESULTS_CHECKS,
  repositories: resultsRepositories,
  loaders: resultsLoaders,
  resolvers: resultsResolvers,
  nodes: resultsNodes,
  seed: async () => (await import('./seed/seed.js')).seedResults,
});
