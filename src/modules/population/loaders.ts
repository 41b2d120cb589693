import type { CitizenOrder, CitizenRow, PopulationRepositories } from './db/index.js';
import { columnLoader, countLoaderFamily, idLoader, pageLoaderFamily, type ColumnPlan, type LoaderOptions } from '../../platform/loaders/batch.js';

/**
 * The columns each field of `Citizen` is made from (graph/citizen.type.ts `Citizen.from`, and
 * this module's relations' keys); the national id always: the guard and the access log name the
 * person by it.
 */
export const CITIZEN_COLUMNS: ColumnPlan<CitizenRow> = {
  always: ['id', 'national_id'],
  fields: {
    id: [],
    fullName: ['full_name'],
    gender: ['gender'],
    nationalId: ['national_id'],
    birthDate: ['birth_date'],
    phone: ['phone'],
    email: ['email'],
    address: ['address'],
    ward: ['ward_id'],
    household: ['household_id'],
  },
  // The other sources' relations of a citizen (its dossiers, businesses...) go by its id.
  unlisted: 'always',
};

export function populationLoaders(repos: PopulationRepositories, options: LoaderOptions) {
  const { citizens, households } = repos;
  return {
    citizenById: columnLoader((ids: readonly number[], columns) => citizens.findByIds(ids, columns), (row) => row.id, CITIZEN_COLUMNS, options),
    citizenByNationalId: columnLoader((ids: readonly string[], columns) => citizens.findByNationalIds(ids, columns), (row) => row.national_id, CITIZEN_COLUMNS, options),
    householdById: idLoader((ids) => households.findByIds(ids), options),
    householdMemberCount: countLoaderFamily((parentIds) => citizens.countByHousehold({ parentIds }), options),
    householdMembers: pageLoaderFamily((parentIds, order: CitizenOrder, page) => citizens.pagesByHousehold({ parentIds, order, page }), options),
  };
}
