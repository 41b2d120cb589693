import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { IndicatorFrequency, IndicatorGranularity, IndicatorVisibility } from './vocabulary.js';

export type { IndicatorFrequency, IndicatorGranularity, IndicatorVisibility } from './vocabulary.js';

export interface IndicatorsTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** `name` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the NAME keyset walks. */
  name_sort: GeneratedAlways<string>;
  description: string;
  unit: string;
  category: string;
  target: number | null;
  target_year: number | null;
  /** An agency of the reference source (no foreign key: another database). */
  owner_id: number;
  visibility: IndicatorVisibility;
  granularity: IndicatorGranularity;
  frequency: IndicatorFrequency;
  /** Where the figures come from. */
  source_note: string | null;
}

export interface ObservationsTable {
  id: Generated<number>;
  indicator_id: number;
  /** 'YYYY-MM-DD', the first day of the month or year observed. */
  period: string;
  /** A ward of the reference source; null for the city-wide value. */
  ward_id: number | null;
  value: number;
}

export interface IocDatabase {
  indicators: IndicatorsTable;
  observations: ObservationsTable;
}

export type IndicatorRow = Selectable<IndicatorsTable>;
export type ObservationRow = Selectable<ObservationsTable>;
