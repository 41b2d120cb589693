import type { CitizenOrder, PopulationRepositories } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function populationLoaders(repos: PopulationRepositories, options: LoaderOptions) {
  const { citizens, households } = repos;
  return {
    citizenById: idLoader((ids) => citizens.findByIds(ids), options),
    citizenByNationalId: keyLoader((ids: readonly string[]) => citizens.findByNationalIds(ids), (row) => row.national_id, options),
    householdById: idLoader((ids) => households.findByIds(ids), options),
    householdMemberCount: countLoaderFamily((parentIds) => citizens.countByHousehold({ parentIds }), options),
    householdMembers: pageLoaderFamily((parentIds, order: CitizenOrder, page) => citizens.pagesByHousehold({ parentIds, order, page }), options),
  };
}
