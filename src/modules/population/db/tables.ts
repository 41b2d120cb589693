import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { Gender } from './vocabulary.js';

export type { Gender } from './vocabulary.js';

export interface HouseholdsTable {
  id: Generated<number>;
  /** The household's number in the resident register, e.g. `HK-49201-000123`. */
  code: string;
  /** A ward of `reference.administrative_units`: another source, so no foreign key. */
  ward_id: number;
  /** House number and street, e.g. `K12/5 Nguyễn Văn Linh`; the ward is in `ward_id`. */
  address: string;
  /** `address` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the ADDRESS keyset walks. */
  address_sort: GeneratedAlways<string>;
  /** The head of the household (a citizen of this source); null until the citizens are loaded. */
  head_citizen_id: number | null;
  member_count: number;
}

export interface CitizensTable {
  id: Generated<number>;
  /** 12-digit căn cước number: province (3), century and gender (1), birth year (2), serial (6). */
  national_id: string;
  full_name: string;
  /** `full_name` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the NAME keyset walks. */
  full_name_sort: GeneratedAlways<string>;
  gender: Gender;
  /** 'YYYY-MM-DD' (dates are read as text: a birth date has no time zone). */
  birth_date: string;
  phone: string | null;
  email: string | null;
  /** Full permanent address: house, street, ward, district. */
  address: string;
  ward_id: number;
  household_id: number;
  created_at: Generated<Date>;
}

export interface PopulationDatabase {
  households: HouseholdsTable;
  citizens: CitizensTable;
}

export type HouseholdRow = Selectable<HouseholdsTable>;
export type CitizenRow = Selectable<CitizensTable>;
