import { registerEnumType } from 'type-graphql';

export enum IndicatorVisibility {
  PUBLIC = 'PUBLIC',
  INTERNAL = 'INTERNAL',
}
registerEnumType(IndicatorVisibility, {
  name: 'IndicatorVisibility',
  description: 'PUBLIC: open to everyone; INTERNAL: only the owning agency, analysts and administrators.',
});

export enum IndicatorGranularity {
  CITY = 'CITY',
  WARD = 'WARD',
}
registerEnumType(IndicatorGranularity, {
  name: 'IndicatorGranularity',
  description: 'CITY: city-wide values only; WARD: a value per ward, and the city-wide value beside them.',
});

export enum IndicatorFrequency {
  MONTHLY = 'MONTHLY',
  YEARLY = 'YEARLY',
}
registerEnumType(IndicatorFrequency, { name: 'IndicatorFrequency', description: 'How often a value is observed (periods are first days of months or years).' });

export enum IndicatorOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(IndicatorOrder, { name: 'IndicatorOrder' });
