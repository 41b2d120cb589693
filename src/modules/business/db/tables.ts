import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { BusinessKind, BusinessStatus, LegalForm } from './vocabulary.js';

export type { BusinessKind, BusinessStatus, LegalForm } from './vocabulary.js';

/** Enterprises and household businesses: the public profile of the business register. */
export interface BusinessesTable {
  id: Generated<number>;
  kind: BusinessKind;
  /**
   * Enterprises: the 10-digit enterprise code, which is also the tax code (Đà Nẵng's start with
   * 040; the last digit is the tax code's mod-11 check digit). Household businesses: the
   * registration number `32` + district letter + `8` + 6 digits, e.g. `32A8001234`.
   */
  code: string;
  name: string;
  /** `name` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the NAME keyset walks. */
  name_sort: GeneratedAlways<string>;
  legal_form: LegalForm;
  /** VSIC 2018 four-digit code and its Vietnamese name. */
  industry_code: string;
  industry_name: string;
  /** A digital technology enterprise (see DIGITAL_TECH_INDUSTRY_CODES). */
  digital_tech: boolean;
  status: BusinessStatus;
  /** 'YYYY-MM-DD'. */
  registered_on: string;
  /** VND; null for household businesses and private enterprises (which declare no charter capital). */
  charter_capital: number | null;
  /** charter_capital with null as -1: what the CHARTER_CAPITAL keyset walks (a keyset column cannot be null). */
  charter_capital_sort: GeneratedAlways<number>;
  address: string;
  /** A ward of `reference.administrative_units` (another source: no foreign key). */
  ward_id: number;
  /** A citizen of the population source (no foreign key across sources). */
  legal_representative_id: number;
  phone: string | null;
  email: string | null;
  website: string | null;
}

export interface BusinessDatabase {
  businesses: BusinessesTable;
}

export type BusinessRow = Selectable<BusinessesTable>;
