import { ACCESS_OUTCOMES, type AccessOutcome } from '../../../access/vocabulary.js';
import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The audit source's vocabularies, each written once: the outcomes are the access policy's own
 * (src/access/vocabulary.ts); the GraphQL enums (graph/audit.enums.ts) and the check constraint
 * (checked against `AUDIT_CHECKS` by a test) are built from these arrays.
 */
export { ACCESS_OUTCOMES, type AccessOutcome };

/**
 * CHANGED: an entry's content no longer matches its hash or its successor's prev_hash.
 * REMOVED: entries are missing (a gap in seq, or the tail is shorter than the head).
 * INSERTED: an entry the chain never issued (a seq taken twice, or past the head).
 * REORDERED: entries are all there but out of their chained order.
 * UNSIGNED: the Merkle tree has no valid signed checkpoint at its size (or a checkpoint's signature fails).
 * CONTRADICTED: a checkpoint kept outside the database (saved earlier, the witness's) gives the tree another root.
 */
export const CHAIN_PROBLEMS = ['CHANGED', 'REMOVED', 'INSERTED', 'REORDERED', 'UNSIGNED', 'CONTRADICTED'] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

export const AUDIT_CHECKS: readonly VocabularyCheck[] = [
  { table: 'access_log', constraint: 'access_log_outcome_check', column: 'outcome', values: ACCESS_OUTCOMES },
];
