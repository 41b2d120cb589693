import type { Kysely } from 'kysely';
import { IndicatorsRepository } from './indicators.repository.js';
import { ObservationsRepository } from './observations.repository.js';
import type { IocDatabase } from './tables.js';

export type { IndicatorRow, ObservationRow } from './tables.js';
export * from './vocabulary.js';
export type { IndicatorWhere } from './indicators.repository.js';
export type { ObservationParentScope, ObservationWhere, SeriesWhere } from './observations.repository.js';

export function iocRepositories(db: Kysely<IocDatabase>) {
  return { indicators: new IndicatorsRepository(db), observations: new ObservationsRepository(db) };
}

export type IocRepositories = ReturnType<typeof iocRepositories>;
