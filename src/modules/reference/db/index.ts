import type { Kysely } from 'kysely';
import { AgenciesRepository } from './agencies.repository.js';
import type { ReferenceDatabase } from './tables.js';
import { UnitsRepository } from './units.repository.js';

export type { AdministrativeUnitRow, AgencyRow } from './tables.js';
export type { UnitFilter, UnitOrder } from './units.repository.js';
export type { AgencyFilter, AgencyOrder } from './agencies.repository.js';

export function referenceRepositories(db: Kysely<ReferenceDatabase>) {
  return { units: new UnitsRepository(db), agencies: new AgenciesRepository(db) };
}

export type ReferenceRepositories = ReturnType<typeof referenceRepositories>;
