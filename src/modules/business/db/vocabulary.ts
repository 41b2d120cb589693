import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The business source's vocabularies, each written once: the TypeScript types below, the GraphQL
 * enums (graph/business.enums.ts) and the check constraints (checked against `BUSINESS_CHECKS`
 * by a test) are built from these arrays.
 */
export const BUSINESS_KINDS = ['ENTERPRISE', 'HOUSEHOLD_BUSINESS'] as const;
export type BusinessKind = (typeof BUSINESS_KINDS)[number];

export const LEGAL_FORMS = ['LLC_ONE_MEMBER', 'LLC_MULTI_MEMBER', 'JOINT_STOCK', 'PRIVATE', 'PARTNERSHIP', 'HOUSEHOLD'] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export const BUSINESS_STATUSES = ['ACTIVE', 'SUSPENDED', 'DISSOLVED'] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

/** NAME ascending; REGISTERED_ON newest first; CHARTER_CAPITAL largest first, those without one last. */
export const BUSINESS_ORDERS = ['NAME', 'REGISTERED_ON', 'CHARTER_CAPITAL'] as const;
export type BusinessOrder = (typeof BUSINESS_ORDERS)[number];

export const BUSINESS_CHECKS: readonly VocabularyCheck[] = [
  { table: 'businesses', constraint: 'businesses_kind_check', column: 'kind', values: BUSINESS_KINDS },
  { table: 'businesses', constraint: 'businesses_legal_form_check', column: 'legal_form', values: LEGAL_FORMS },
  { table: 'businesses', constraint: 'businesses_status_check', column: 'status', values: BUSINESS_STATUSES },
];
