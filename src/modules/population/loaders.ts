import type { Repositories } from '../repositories.js';
import type { CitizenOrder } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function populationLoaders(repos: Repositories, options: LoaderOptions) {
  const { citizens, households } = repos.population;
  return {
    citizenById: idLoader((ids) => citizens.findByIds(ids), options),
    citizenByNationalId: keyLoader((ids: readonly string[]) => citizens.findByNationalIds(ids), (row) => row.national_id, options),
    householdById: idLoader((ids) => households.findByIds(ids), options),
    householdMemberCount: countLoaderFamily((ids) => citizens.countByHousehold(ids), options),
    householdMembers: pageLoaderFamily((ids, order: CitizenOrder, page) => citizens.pagesByHousehold(ids, order, page), options),
  };
}
