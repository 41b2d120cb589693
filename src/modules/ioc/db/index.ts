import type { Kysely } from 'kysely';
import { IndicatorsRepository } from './indicators.repository.js';
import { ObservationsRepository } from './observations.repository.js';
import type { IocDatabase } from './tables.js';

export type {
  IndicatorFrequency,
  IndicatorGranularity,
  IndicatorRow,
  IndicatorVisibility,
  ObservationRow,
} from './tables.js';
export type { IndicatorFilter, IndicatorOrder } from './indicators.repository.js';
export type { ObservationFilter, SeriesFilter } from './observations.repository.js';

export function iocRepositories(db: Kysely<IocDatabase>) {
  return { indicators: new IndicatorsRepository(db), observations: new ObservationsRepository(db) };
}

export type IocRepositories = ReturnType<typeof iocRepositories>;
