import type { BusinessOrder, BusinessRepositories } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

export function businessLoaders(repos: BusinessRepositories, options: LoaderOptions) {
  const { businesses } = repos;
  return {
    businessById: idLoader((ids) => businesses.findByIds(ids), options),
    businessByCode: keyLoader((codes: readonly string[]) => businesses.findByCodes(codes), (row) => row.code, options),
    businessCountByRepresentative: countLoaderFamily((ids) => businesses.countByLegalRepresentative(ids), options),
    businessesByRepresentative: pageLoaderFamily(
      (ids, order: BusinessOrder, page) => businesses.pagesByLegalRepresentative(ids, page, order),
      options,
    ),
  };
}
