import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The results source's vocabularies, each written once: the TypeScript types below, the GraphQL
 * enums (graph/results.enums.ts) and the check constraints (migrations/0001_init.ts, checked
 * against `RESULTS_CHECKS`) are built from these arrays.
 */

/** What was issued when a dossier completed (kết quả giải quyết thủ tục hành chính). */
export const RESULT_KINDS = ['CERTIFICATE', 'LICENCE', 'DECISION', 'CONFIRMATION', 'EXTRACT'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Where a result stands: REVOKED and EXPIRED are both no longer valid. */
export const RESULT_STATUSES = ['VALID', 'REVOKED', 'EXPIRED'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** The public verification's answers: a result's status, or UNKNOWN (no result has that number and that hash). */
export const VERIFICATION_STATUSES = [...RESULT_STATUSES, 'UNKNOWN'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** Who a result was issued to: a citizen (population source) or a business (business source). */
export const HOLDER_KINDS = ['CITIZEN', 'BUSINESS'] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

/** ISSUED_AT: newest first. NUMBER: by result number. */
export const RESULT_ORDERS = ['ISSUED_AT', 'NUMBER'] as const;
export type ResultOrder = (typeof RESULT_ORDERS)[number];

export const RESULTS_CHECKS: readonly VocabularyCheck[] = [
  { table: 'procedure_results', constraint: 'procedure_results_kind_check', column: 'kind', values: RESULT_KINDS },
  { table: 'procedure_results', constraint: 'procedure_results_holder_kind_check', column: 'holder_kind', values: HOLDER_KINDS },
  { table: 'procedure_results', constraint: 'procedure_results_status_check', column: 'status', values: RESULT_STATUSES },
];
