import type { Generated, Selectable } from 'kysely';
import type { AccessLogTreeDatabase } from './tree-tables.js';
import type { AccessOutcome } from './vocabulary.js';

export type { AccessOutcome } from './vocabulary.js';

/** One read of personal data, or one denial, as the gateway recorded it. Rows never change. */
export interface AccessLogTable {
  id: Generated<number>;
  /**
   * Position in the hash chain: 1, 2, 3... without gaps, assigned under the chain lock. Null for
   * entries appended without the chain (issue 15: their position is their leaf in the tree).
   */
  seq: number | null;
  occurred_at: Date;
  request_id: string;
  actor_subject: string;
  actor_role: string;
  actor_agency: string | null;
  client_app: string | null;
  operation_name: string | null;
  document_hash: string | null;
  purpose: string | null;
  case_reference: string | null;
  /**
   * Whose data was read: 'CITIZEN', 'HOUSEHOLD'; or 'CRITERION' for a searched value, whose
   * subject_id is `<field>:<keyed hash of the value>` (the value itself is never stored).
   */
  subject_type: string;
  subject_id: string;
  fields: string[];
  outcome: AccessOutcome;
  /**
   * The fields the subject was found by in the request (look-up keys, filters, orderings,
   * searches), sorted; empty when it was not found by any. Null for entries written before
   * migration 0004 (their form is v2, see commitment.ts), whose FOUND_BY entries list them in fields.
   */
  found_by: string[] | null;
  /** The previous entry's hash (zeros before the first entry); null outside the chain. */
  prev_hash: string | null;
  /**
   * sha256 of this entry's canonical form, prev_hash included (see chain.ts); outside the chain,
   * the hex of its leaf hash in the Merkle tree (see commitment.ts).
   */
  hash: string;
}

/**
 * The chain's head: the last entry's seq and hash, kept in a single row. Appenders lock it to
 * extend the chain one at a time, and verify compares the log's tail with it, which reveals
 * entries cut from the end of the log.
 */
export interface AccessLogHeadTable {
  singleton: Generated<boolean>;
  seq: number;
  hash: string;
}

export interface AuditDatabase extends AccessLogTreeDatabase {
  access_log: AccessLogTable;
  access_log_head: AccessLogHeadTable;
}

export type AccessLogRow = Selectable<AccessLogTable>;
