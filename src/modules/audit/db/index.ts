import type { Kysely } from 'kysely';
import { AccessLogRepository } from './access-log.repository.js';
import type { AuditDatabase } from './tables.js';

export type { AccessLogRow, AccessOutcome } from './tables.js';
export type { AccessLogEntry, AccessLogFilter, ChainProblem, ChainVerification } from './access-log.repository.js';
export { canonicalEntry, entryHash, GENESIS_HASH } from './chain.js';

export function auditRepositories(db: Kysely<AuditDatabase>) {
  return { accessLog: new AccessLogRepository(db) };
}

export type AuditRepositories = ReturnType<typeof auditRepositories>;
