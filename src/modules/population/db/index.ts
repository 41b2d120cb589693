import type { Kysely } from 'kysely';
import { CitizensRepository } from './citizens.repository.js';
import { HouseholdsRepository } from './households.repository.js';
import type { PopulationDatabase } from './tables.js';

export type { CitizenRow, HouseholdRow } from './tables.js';
export * from './vocabulary.js';
export type { CitizenWhere } from './citizens.repository.js';
export type { HouseholdWhere } from './households.repository.js';

export function populationRepositories(db: Kysely<PopulationDatabase>) {
  return { citizens: new CitizensRepository(db), households: new HouseholdsRepository(db) };
}

export type PopulationRepositories = ReturnType<typeof populationRepositories>;
