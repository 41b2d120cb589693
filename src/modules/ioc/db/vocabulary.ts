import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The IOC source's vocabularies, each written once: the TypeScript types below, the GraphQL enums
 * (graph/ioc.enums.ts) and the check constraints (checked against `IOC_CHECKS` by a test) are
 * built from these arrays.
 */
export const INDICATOR_VISIBILITIES = ['PUBLIC', 'INTERNAL'] as const;
export type IndicatorVisibility = (typeof INDICATOR_VISIBILITIES)[number];

/** CITY: city-wide values only; WARD: a value per ward, and the city-wide total beside them. */
export const INDICATOR_GRANULARITIES = ['CITY', 'WARD'] as const;
export type IndicatorGranularity = (typeof INDICATOR_GRANULARITIES)[number];

export const INDICATOR_FREQUENCIES = ['MONTHLY', 'YEARLY'] as const;
export type IndicatorFrequency = (typeof INDICATOR_FREQUENCIES)[number];

export const INDICATOR_ORDERS = ['NAME', 'CODE'] as const;
export type IndicatorOrder = (typeof INDICATOR_ORDERS)[number];

export const IOC_CHECKS: readonly VocabularyCheck[] = [
  { table: 'indicators', constraint: 'indicators_visibility_check', column: 'visibility', values: INDICATOR_VISIBILITIES },
  { table: 'indicators', constraint: 'indicators_granularity_check', column: 'granularity', values: INDICATOR_GRANULARITIES },
  { table: 'indicators', constraint: 'indicators_frequency_check', column: 'frequency', values: INDICATOR_FREQUENCIES },
];
