import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The population source's vocabularies, each written once: the TypeScript types below, the
 * GraphQL enums (graph/population.enums.ts) and the check constraints (checked against
 * `POPULATION_CHECKS` by a test) are built from these arrays.
 */
export const GENDERS = ['MALE', 'FEMALE'] as const;
export type Gender = (typeof GENDERS)[number];

export const CITIZEN_ORDERS = ['NAME', 'BIRTH_DATE', 'NEWEST'] as const;
export type CitizenOrder = (typeof CITIZEN_ORDERS)[number];

export const HOUSEHOLD_ORDERS = ['CODE', 'ADDRESS'] as const;
export type HouseholdOrder = (typeof HOUSEHOLD_ORDERS)[number];

export const POPULATION_CHECKS: readonly VocabularyCheck[] = [{ table: 'citizens', constraint: 'citizens_gender_check', column: 'gender', values: GENDERS }];
