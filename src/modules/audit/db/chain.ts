import { createHash } from 'node:crypto';
import type { AccessLogRow } from './tables.js';

/** The hash an empty log's head carries, and the first entry's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What an entry's hash covers: every column but the id (a storage detail) and the hash itself,
 * and but found_by, which came after the chain (issue 14): an entry's leaf in the tree covers it.
 */
export type ChainedEntry = Omit<AccessLogRow, 'id' | 'hash'>;

/**
 * The canonical form of an entry: a JSON array in a fixed column order, led by a version tag so
 * the form can change later without ambiguity. JSON.stringify of strings, numbers and nulls is
 * deterministic, and the time is written in UTC with milliseconds (what timestamptz returns).
 */
export function canonicalEntry(entry: ChainedEntry): string {
  return JSON.stringify([
    'access-log/v1',
    entry.seq,
    entry.occurred_at.toISOString(),
    entry.request_id,
    entry.actor_subject,
    entry.actor_role,
    entry.actor_agency,
    entry.client_app,
    entry.operation_name,
    entry.document_hash,
    entry.purpose,
    entry.case_reference,
    entry.subject_type,
    entry.subject_id,
    entry.fields,
    entry.outcome,
    entry.prev_hash,
  ]);
}

/** sha256 (hex) of the canonical form: changing any covered value changes the hash. */
export function entryHash(entry: ChainedEntry): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}
