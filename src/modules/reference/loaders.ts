import type { UnitOrder, ReferenceRepositories } from './db/index.js';
import { countLoaderFamily, groupLoader, idLoader, keyLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function referenceLoaders(repos: ReferenceRepositories, options: LoaderOptions) {
  const { units, agencies } = repos;
  return {
    unitById: idLoader((ids) => units.findByIds(ids), options),
    unitByCode: keyLoader((codes: readonly string[]) => units.findByCodes(codes), (row) => row.code, options),
    unitChildren: pageLoaderFamily((parentIds, order: UnitOrder, page) => units.pagesByParent({ parentIds, order, page }), options),
    unitChildCount: countLoaderFamily((parentIds) => units.countByParent({ parentIds }), options),
    /** Every ward of each district (a district has a handful), by code: filters that take a district. */
    wardsOfDistrict: groupLoader((ids) => units.findByParentIds(ids, 'WARD'), (row) => row.parent_id!, options),
    agencyById: idLoader((ids) => agencies.findByIds(ids), options),
    agencyByCode: keyLoader((codes: readonly string[]) => agencies.findByCodes(codes), (row) => row.code, options),
  };
}
