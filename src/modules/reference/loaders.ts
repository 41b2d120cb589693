import type { AdministrativeUnitRow, AgencyRow, UnitOrder, ReferenceRepositories } from './db/index.js';
import { columnLoader, countLoaderFamily, groupLoader, pageLoaderFamily, type ColumnPlan, type LoaderOptions } from '../../platform/loaders/batch.js';

/**
 * The columns each field of `AdministrativeUnit` is made from (graph/administrative-unit.type.ts).
 * `district` is left out on purpose: a district answers it with itself, so it needs whatever the
 * district's own selection asks (every column).
 */
export const UNIT_COLUMNS: ColumnPlan<AdministrativeUnitRow> = {
  always: ['id'],
  fields: {
    id: [],
    code: ['code'],
    name: ['name'],
    fullName: ['full_name'],
    level: ['level'],
    designation: ['designation'],
    population: ['population'],
    parent: ['parent_id'],
    children: [],
  },
};

/** The columns each field of `Agency` is made from (graph/agency.type.ts `Agency.from`, and the unit's key). */
export const AGENCY_COLUMNS: ColumnPlan<AgencyRow> = {
  always: ['id'],
  fields: {
    id: [],
    code: ['code'],
    name: ['name'],
    kind: ['kind'],
    email: ['email'],
    website: ['website'],
    unit: ['unit_id'],
  },
  // The other sources' relations of an agency (its datasets, dossiers...) go by its id.
  unlisted: 'always',
};

/**
 * How long an agency or an administrative unit read by code or by id is answered from the
 * process's cache: a row changed in the database is seen within this. Safe to share across
 * requests and callers: both are public reference data (no personal field, no row scope: every
 * caller may read every agency and unit), the gateway never writes them (seeds and migrations do),
 * and a cached row is frozen. A ward is on nearly every citizen, business and dossier answer: read
 * from the cache it costs no statement.
 */
export const REFERENCE_CACHE_MS = 60_000;

export function referenceLoaders(repos: ReferenceRepositories, options: LoaderOptions) {
  const { units, agencies } = repos;
  return {
    /** By id and by code, from the process cache of reference rows (REFERENCE_CACHE_MS says why that is safe). */
    unitById: columnLoader(
      (ids: readonly number[], columns) => units.findByIds(ids, columns, { cacheMs: REFERENCE_CACHE_MS }),
      (row) => row.id,
      UNIT_COLUMNS,
      options,
    ),
    unitByCode: columnLoader(
      (codes: readonly string[], columns) => units.findByCodes(codes, columns, { cacheMs: REFERENCE_CACHE_MS }),
      (row) => row.code,
      { ...UNIT_COLUMNS, always: ['id', 'code'] },
      options,
    ),
    unitChildren: pageLoaderFamily((parentIds, order: UnitOrder, page) => units.pagesByParent({ parentIds, order, page }), options),
    unitChildCount: countLoaderFamily((parentIds) => units.countByParent({ parentIds }), options),
    /** Every ward of each district (a district has a handful), by code: filters that take a district. */
    wardsOfDistrict: groupLoader((ids) => units.findByParentIds(ids, 'WARD'), (row) => row.parent_id!, options),
    /**
     * By id, from the same process cache and window as by code (REFERENCE_CACHE_MS says why that is
     * safe): a dossier's agency, a dataset's publisher, a procedure's agency. A missing id is asked again.
     */
    agencyById: columnLoader(
      (ids: readonly number[], columns) => agencies.findByIds(ids, columns, { cacheMs: REFERENCE_CACHE_MS }),
      (row) => row.id,
      AGENCY_COLUMNS,
      options,
    ),
    /**
     * By code, from the process's cache of agencies (a minute): every officer's request resolves
     * its agency by code, and agencies change only with seeds and migrations. A code not found is
     * asked again each time.
     */
    agencyByCode: columnLoader(
      (codes: readonly string[], columns) => agencies.findByCodes(codes, columns, { cacheMs: REFERENCE_CACHE_MS }),
      (row) => row.code,
      { ...AGENCY_COLUMNS, always: ['id', 'code'] },
      options,
    ),
  };
}
