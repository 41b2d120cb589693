import type { BusinessOrder, BusinessRepositories, BusinessRow } from './db/index.js';
import { columnLoader, countLoaderFamily, pageLoaderFamily, type ColumnPlan, type LoaderOptions } from '../../platform/loaders/batch.js';

/** The columns each field of `Business` is made from (graph/business.type.ts `Business.from`, and this module's relations' keys). */
export const BUSINESS_COLUMNS: ColumnPlan<BusinessRow> = {
  always: ['id'],
  fields: {
    id: [],
    kind: ['kind'],
    code: ['code'],
    name: ['name'],
    legalForm: ['legal_form'],
    industryCode: ['industry_code'],
    industryName: ['industry_name'],
    digitalTech: ['digital_tech'],
    status: ['status'],
    registeredOn: ['registered_on'],
    charterCapital: ['charter_capital'],
    address: ['address'],
    phone: ['phone'],
    email: ['email'],
    website: ['website'],
    ward: ['ward_id'],
    legalRepresentative: ['legal_representative_id'],
  },
  // The other sources' relations of a business (its dossiers...) go by its id.
  unlisted: 'always',
};

export function businessLoaders(repos: BusinessRepositories, options: LoaderOptions) {
  const { businesses } = repos;
  return {
    businessById: columnLoader((ids: readonly number[], columns) => businesses.findByIds(ids, columns), (row) => row.id, BUSINESS_COLUMNS, options),
    businessByCode: columnLoader((codes: readonly string[], columns) => businesses.findByCodes(codes, columns), (row) => row.code, { ...BUSINESS_COLUMNS, always: ['id', 'code'] }, options),
    businessCountByRepresentative: countLoaderFamily((parentIds) => businesses.countByLegalRepresentative({ parentIds }), options),
    businessesByRepresentative: pageLoaderFamily(
      (parentIds, order: BusinessOrder, page) => businesses.pagesByLegalRepresentative({ parentIds, order, page }),
      options,
    ),
  };
}
