import type { Kysely } from 'kysely';
import { CitizensRepository } from './citizens.repository.js';
import { HouseholdsRepository } from './households.repository.js';
import type { PopulationDatabase } from './tables.js';

export type { CitizenRow, Gender, HouseholdRow } from './tables.js';
export type { CitizenFilter, CitizenOrder } from './citizens.repository.js';
export type { HouseholdFilter, HouseholdOrder } from './households.repository.js';

export function populationRepositories(db: Kysely<PopulationDatabase>) {
  return { citizens: new CitizensRepository(db), households: new HouseholdsRepository(db) };
}

export type PopulationRepositories = ReturnType<typeof populationRepositories>;
