import type { Kysely } from 'kysely';
import { BusinessesRepository } from './businesses.repository.js';
import type { BusinessDatabase } from './tables.js';

export type { BusinessRow } from './tables.js';
export * from './vocabulary.js';
export type { BusinessWhere, IndustryCount } from './businesses.repository.js';
export { DIGITAL_TECH_INDUSTRY_CODES, DIGITAL_TECH_PER_THOUSAND_RESIDENTS } from './industries.js';

export function businessRepositories(db: Kysely<BusinessDatabase>) {
  return { businesses: new BusinessesRepository(db) };
}

export type BusinessRepositories = ReturnType<typeof businessRepositories>;
