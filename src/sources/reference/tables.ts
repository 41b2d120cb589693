import type { Generated, Selectable } from 'kysely';

export interface AdministrativeUnitsTable {
  id: Generated<number>;
  code: string;
  name: string;
  full_name: string;
  level: 'CITY' | 'DISTRICT' | 'WARD';
  designation: string;
  parent_id: number | null;
  population: number;
}

export interface AgenciesTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: 'DEPARTMENT' | 'DISTRICT_COMMITTEE' | 'CENTRE';
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
