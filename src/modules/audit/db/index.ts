import type { Kysely } from 'kysely';
import { AccessLogRepository } from './access-log.repository.js';
import type { AuditDatabase } from './tables.js';
import { AccessLogTreeRepository } from './tree.repository.js';
import { AccessLogVerifier } from './log-verify.js';

export type { AccessLogRow } from './tables.js';
export * from './vocabulary.js';
export type { AccessLogEntry, AccessLogWhere, ChainVerification } from './access-log.repository.js';
export { canonicalEntry, entryHash, GENESIS_HASH } from './chain.js';
export type { Checkpoint, EntryLeaf } from './tree.repository.js';
export { canonicalForm, commitEntry, restrictedForm, type CommittedEntry } from './commitment.js';
export type { LogVerification } from './log-verify.js';
export type { ExternalCheckpoint, TreeProblem, TreeVerification } from './tree-verify.js';

export function auditRepositories(db: Kysely<AuditDatabase>) {
  return { accessLog: new AccessLogRepository(db), accessLogTree: new AccessLogTreeRepository(db), accessLogVerifier: new AccessLogVerifier(db) };
}

export type AuditRepositories = ReturnType<typeof auditRepositories>;
