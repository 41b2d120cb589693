import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The reference source's vocabularies, each written once: the TypeScript types below, the
 * GraphQL enums (graph/reference.enums.ts) and the check constraints (checked against
 * `REFERENCE_CHECKS` by a test) are built from these arrays.
 */
export const UNIT_LEVELS = ['CITY', 'DISTRICT', 'WARD'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export const AGENCY_KINDS = ['DEPARTMENT', 'DISTRICT_COMMITTEE', 'CENTRE'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const UNIT_ORDERS = ['NAME', 'CODE'] as const;
export type UnitOrder = (typeof UNIT_ORDERS)[number];

export const AGENCY_ORDERS = ['NAME', 'CODE'] as const;
export type AgencyOrder = (typeof AGENCY_ORDERS)[number];

export const REFERENCE_CHECKS: readonly VocabularyCheck[] = [
  { table: 'administrative_units', constraint: 'administrative_units_level_check', column: 'level', values: UNIT_LEVELS },
  { table: 'agencies', constraint: 'agencies_kind_check', column: 'kind', values: AGENCY_KINDS },
];
