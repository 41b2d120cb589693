import type { Kysely } from 'kysely';
import { AgenciesRepository } from './agencies.repository.js';
import type { ReferenceDatabase } from './tables.js';
import { UnitsRepository } from './units.repository.js';

export type { AdministrativeUnitRow, AgencyRow } from './tables.js';
export * from './vocabulary.js';
export type { UnitWhere } from './units.repository.js';
export type { AgencyWhere } from './agencies.repository.js';

export function referenceRepositories(db: Kysely<ReferenceDatabase>) {
  return { units: new UnitsRepository(db), agencies: new AgenciesRepository(db) };
}

export type ReferenceRepositories = ReturnType<typeof referenceRepositories>;
