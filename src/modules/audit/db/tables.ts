import type { Generated, Selectable } from 'kysely';

/**
 * GRANTED, MASKED, DENIED: a field read. FOUND_BY: the person (or, for a CRITERION entry, a
 * searched value) was found by the fields listed, used as lookup keys, filters, orderings or
 * searches. COUNTED_BY: a count was taken over those fields.
 */
export type AccessOutcome = 'GRANTED' | 'MASKED' | 'DENIED' | 'FOUND_BY' | 'COUNTED_BY';

export const ACCESS_OUTCOMES: readonly AccessOutcome[] = ['GRANTED', 'MASKED', 'DENIED', 'FOUND_BY', 'COUNTED_BY'];

/** One read of personal data, or one denial, as the gateway recorded it. Rows never change. */
export interface AccessLogTable {
  id: Generated<number>;
  /** Position in the hash chain: 1, 2, 3... without gaps, assigned under the chain lock. */
  seq: number;
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
  /** The previous entry's hash (zeros before the first entry). */
  prev_hash: string;
  /** sha256 of this entry's canonical form, prev_hash included (see chain.ts). */
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

export interface AuditDatabase {
  access_log: AccessLogTable;
  access_log_head: AccessLogHeadTable;
}

export type AccessLogRow = Selectable<AccessLogTable>;
