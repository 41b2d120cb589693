import type { UnitOrder, ReferenceRepositories } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function referenceLoaders(repos: ReferenceRepositories, options: LoaderOptions) {
  const { units, agencies } = repos;
  return {
    unitById: idLoader((ids) => units.findByIds(ids), options),
    unitChildren: pageLoaderFamily((ids, order: UnitOrder, page) => units.pagesByParent(ids, order, page), options),
    unitChildCount: countLoaderFamily((ids) => units.countByParent(ids), options),
    agencyById: idLoader((ids) => agencies.findByIds(ids), options),
    agencyByCode: keyLoader((codes: readonly string[]) => agencies.findByCodes(codes), (row) => row.code, options),
  };
}
