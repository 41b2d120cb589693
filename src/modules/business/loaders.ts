import type { BusinessOrder, BusinessRepositories } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function businessLoaders(repos: BusinessRepositories, options: LoaderOptions) {
  const { businesses } = repos;
  return {
    businessById: idLoader((ids) => businesses.findByIds(ids), options),
    businessByCode: keyLoader((codes: readonly string[]) => businesses.findByCodes(codes), (row) => row.code, options),
    businessCountByRepresentative: countLoaderFamily((parentIds) => businesses.countByLegalRepresentative({ parentIds }), options),
    businessesByRepresentative: pageLoaderFamily(
      (parentIds, order: BusinessOrder, page) => businesses.pagesByLegalRepresentative({ parentIds, order, page }),
      options,
    ),
  };
}
