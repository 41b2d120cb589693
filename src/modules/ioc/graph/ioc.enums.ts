import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { INDICATOR_FREQUENCIES, INDICATOR_GRANULARITIES, INDICATOR_ORDERS, INDICATOR_VISIBILITIES } from '../db/index.js';

export type IndicatorVisibility = EnumValue<typeof IndicatorVisibility>;
export const IndicatorVisibility = vocabularyEnum(INDICATOR_VISIBILITIES, {
  name: 'IndicatorVisibility',
  description: 'PUBLIC: open to everyone; INTERNAL: only the owning agency, analysts and administrators.',
  valuesConfig: {
    PUBLIC: { description: 'Open to every caller.' },
    INTERNAL: { description: 'Only the owning agency, analysts and administrators.' },
  },
});

export type IndicatorGranularity = EnumValue<typeof IndicatorGranularity>;
export const IndicatorGranularity = vocabularyEnum(INDICATOR_GRANULARITIES, {
  name: 'IndicatorGranularity',
  description: 'CITY: city-wide values only; WARD: a value per ward, and the city-wide value beside them.',
  valuesConfig: {
    CITY: { description: 'City-wide values only.' },
    WARD: { description: 'A value per ward (phường/xã), and the city-wide value beside them.' },
  },
});

export type IndicatorFrequency = EnumValue<typeof IndicatorFrequency>;
export const IndicatorFrequency = vocabularyEnum(INDICATOR_FREQUENCIES, {
  name: 'IndicatorFrequency',
  description: 'How often a value is observed (periods are first days of months or years).',
  valuesConfig: {
    MONTHLY: { description: 'A value per month; the period is the first day of the month.' },
    YEARLY: { description: 'A value per year; the period is 1 January.' },
  },
});

export type IndicatorOrder = EnumValue<typeof IndicatorOrder>;
export const IndicatorOrder = vocabularyEnum(INDICATOR_ORDERS, {
  name: 'IndicatorOrder',
  description: 'Orderings of indicators.',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    CODE: { description: 'By code, ascending.' },
  },
});
