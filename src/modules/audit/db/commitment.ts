import { createHash, randomBytes } from 'node:crypto';
import { leafHash } from './merkle.js';

/**
 * What each leaf of the access log's Merkle tree commits to: a salted hash of the entry's
 * canonical form, so that published tree data (leaf hashes, proofs, checkpoints) reveals nothing
 * about anyone, and a reader who is shown the entry, its salt and its canonical form can
 * recompute the leaf and check its inclusion proof.
 *
 *   restricted form  = JSON ["access-log/v2/restricted", request id, actor subject, client app,
 *                            operation name, document hash, case reference]
 *   canonical form   = JSON ["access-log/v2", occurred at (ISO 8601 UTC, milliseconds), actor role,
 *                            actor agency, purpose, subject type, subject id, fields, outcome,
 *                            hex SHA-256(restricted salt || restricted form)]
 *   leaf             = SHA-256(salt || canonical form)           (UTF-8 text, 32 bytes out)
 *   leaf hash        = SHA-256(0x00 || leaf)                      (RFC 9162 §2.1.1)
 *
 * Two parts, because not every reader may see everything: a citizen is shown who read their
 * data by agency and role, never the officer's identity, so the citizen gets the canonical form
 * and its salt, in which the officer, the request and the case are only a salted hash; auditors
 * also get the restricted form and its salt. Erasing both salts (retention) leaves the leaf hash,
 * and so the tree, verifiable, but the entry can no longer be matched to its leaf.
 */

export const CANONICAL_TAG = 'access-log/v2';
export const RESTRICTED_TAG = 'access-log/v2/restricted';
export const SALT_BYTES = 16;

/** The columns a leaf commits to (every column of an entry but its id and the chain's). */
export interface CommittedEntry {
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
  subject_type: string;
  subject_id: string;
  fields: readonly string[];
  outcome: string;
}

export function restrictedForm(entry: CommittedEntry): string {
  return JSON.stringify([RESTRICTED_TAG, entry.request_id, entry.actor_subject, entry.client_app, entry.operation_name, entry.document_hash, entry.case_reference]);
}

function sha256(salt: Uint8Array, text: string): Buffer {
  return createHash('sha256').update(salt).update(text, 'utf8').digest();
}

export function canonicalForm(entry: CommittedEntry, restrictedSalt: Uint8Array): string {
  return JSON.stringify([
    CANONICAL_TAG,
    entry.occurred_at.toISOString(),
    entry.actor_role,
    entry.actor_agency,
    entry.purpose,
    entry.subject_type,
    entry.subject_id,
    [...entry.fields],
    entry.outcome,
    sha256(restrictedSalt, restrictedForm(entry)).toString('hex'),
  ]);
}

export interface Commitment {
  salt: Buffer;
  restrictedSalt: Buffer;
  canonical: string;
  leafHash: Buffer;
}

/** The leaf hash of an entry under the given salts (new random ones when none are given). */
export function commitEntry(entry: CommittedEntry, salts?: { salt: Uint8Array; restrictedSalt: Uint8Array }): Commitment {
  const salt = Buffer.from(salts?.salt ?? randomBytes(SALT_BYTES));
  const restrictedSalt = Buffer.from(salts?.restrictedSalt ?? randomBytes(SALT_BYTES));
  const canonical = canonicalForm(entry, restrictedSalt);
  return { salt, restrictedSalt, canonical, leafHash: leafHash(sha256(salt, canonical)) };
}
