import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { AgencyKind, UnitLevel } from './vocabulary.js';

export type { AgencyKind, UnitLevel } from './vocabulary.js';

export interface AdministrativeUnitsTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** `name` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the NAME keyset walks. */
  name_sort: GeneratedAlways<string>;
  full_name: string;
  level: UnitLevel;
  designation: string;
  parent_id: number | null;
  population: number;
}

export interface AgenciesTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** `name` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the NAME keyset walks. */
  name_sort: GeneratedAlways<string>;
  kind: AgencyKind;
  unit_id: number;
  email: string;
  website: string;
}

export interface ReferenceDatabase {
  administrative_units: AdministrativeUnitsTable;
  agencies: AgenciesTable;
}

export type AdministrativeUnitRow = Selectable<AdministrativeUnitsTable>;
export type AgencyRow = Selectable<AgenciesTable>;
