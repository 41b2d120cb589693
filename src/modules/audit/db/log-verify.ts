import type { Kysely } from 'kysely';
import { AccessLogRepository, type ChainVerification } from './access-log.repository.js';
import type { AuditDatabase } from './tables.js';
import { verifyTree, type ExternalCheckpoint, type TreeProblem, type TreeVerification } from './tree-verify.js';
import type { ChainProblem } from './vocabulary.js';
import type { NoteVerifierKey } from './note.js';

export interface LogVerification {
  intact: boolean;
  /** Entries verified: each in the tree checked against its leaf (the chained ones against the chain too). */
  checked: number;
  firstBadId?: number;
  problem?: ChainProblem | TreeProblem;
  /** The problem in plain words. */
  detail?: string;
  chain: ChainVerification;
  tree?: TreeVerification;
}

/**
 * The whole log: the hash chain of the entries appended before the tree (kept verifiable for
 * them), then the tree against its entries, its signed checkpoints and the checkpoints kept
 * outside the database (see verifyTree).
 */
export async function verifyAccessLog(db: Kysely<AuditDatabase>, options: { key: NoteVerifierKey | readonly NoteVerifierKey[]; external?: readonly ExternalCheckpoint[]; batchSize?: number }): Promise<LogVerification> {
  const chain = await new AccessLogRepository(db).verify(options.batchSize);
  if (!chain.intact) return { intact: false, checked: chain.checked, firstBadId: chain.firstBadId, problem: chain.problem, detail: `the hash chain of the entries before the tree is broken`, chain };
  const tree = await verifyTree(db, options);
  return { intact: tree.intact, checked: tree.checked, firstBadId: tree.firstBadId, problem: tree.problem, detail: tree.detail, chain, tree };
}

/** verifyAccessLog on the audit source's connection (the repositories' door for it). */
export class AccessLogVerifier {
  constructor(private readonly db: Kysely<AuditDatabase>) {}

  /**
   * The same object for every view of one audit database (a request's repositories count their
   * statements on a `withPlugin` view; Kysely keeps the dialect's adapter across views): what the
   * gateway's transparency settings are kept by.
   */
  get sourceKey(): object {
    return this.db.getExecutor().adapter;
  }

  verify(options: { key: NoteVerifierKey | readonly NoteVerifierKey[]; external?: readonly ExternalCheckpoint[]; batchSize?: number }): Promise<LogVerification> {
    return verifyAccessLog(this.db, options);
  }
}
