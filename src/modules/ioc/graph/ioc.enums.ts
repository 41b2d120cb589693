import { registerEnumType } from 'type-graphql';

export enum IndicatorVisibility {
  PUBLIC = 'PUBLIC',
  INTERNAL = 'INTERNAL',
}
registerEnumType(IndicatorVisibility, {
  name: 'IndicatorVisibility',
  description: 'PUBLIC: open to everyone; INTERNAL: only the owning agency, analysts and administrators.',
  valuesConfig: {
    PUBLIC: { description: 'Open to every caller.' },
    INTERNAL: { description: 'Only the owning agency, analysts and administrators.' },
  },
});

export enum IndicatorGranularity {
  CITY = 'CITY',
  WARD = 'WARD',
}
registerEnumType(IndicatorGranularity, {
  name: 'IndicatorGranularity',
  description: 'CITY: city-wide values only; WARD: a value per ward, and the city-wide value beside them.',
  valuesConfig: {
    CITY: { description: 'City-wide values only.' },
    WARD: { description: 'A value per ward (phường/xã), and the city-wide value beside them.' },
  },
});

export enum IndicatorFrequency {
  MONTHLY = 'MONTHLY',
  YEARLY = 'YEARLY',
}
registerEnumType(IndicatorFrequency, {
  name: 'IndicatorFrequency',
  description: 'How often a value is observed (periods are first days of months or years).',
  valuesConfig: {
    MONTHLY: { description: 'A value per month; the period is the first day of the month.' },
    YEARLY: { description: 'A value per year; the period is 1 January.' },
  },
});

export enum IndicatorOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(IndicatorOrder, {
  name: 'IndicatorOrder',
  description: 'Orderings of indicators.',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    CODE: { description: 'By code, ascending.' },
  },
});
