import { createHash, hash, randomBytes } from 'node:crypto';
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
  return canonicalText(entry, sha256(restrictedSalt, restrictedForm(entry)).toString('hex'));
}

/** The canonical form around the restricted form's salted hash (hex). */
function canonicalText(entry: CommittedEntry, restrictedHash: string): string {
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
    restrictedHash,
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

/** Salts and leaf hashes of many entries, in entry order (an append's batch). */
export interface Commitments {
  /** 32 bytes per entry: its salt, then its restricted salt. */
  salts: Buffer;
  /** 32 bytes per entry: its leaf hash. */
  leafHashes: Buffer;
}

/** The bytes of salts per entry in Commitments.salts, and of a leaf hash in Commitments.leafHashes. */
export const COMMITMENT_SALTS_BYTES = 2 * SALT_BYTES;
export const LEAF_HASH_BYTES = 32;

const LEAF_PREFIX = 0x00;

/**
 * The commitments of a batch of entries, equal entry by entry to commitEntry's under the same
 * salts (the tests compare them), at a fraction of its cost: the salts are slices of one random
 * buffer (one call into the CSPRNG per batch, not two per entry), each hash is one one-shot call
 * over a reused scratch buffer (salt and text side by side, no Hash object per step), and the
 * restricted form, the same for every entry of a request, is hashed from bytes encoded once.
 * `random` (32 bytes per entry) is for the tests; by default fresh random bytes.
 */
export function commitEntries(entries: readonly CommittedEntry[], random?: Uint8Array): Commitments {
  const n = entries.length;
  const salts = random ? Buffer.from(random) : randomBytes(n * COMMITMENT_SALTS_BYTES);
  if (salts.length !== n * COMMITMENT_SALTS_BYTES) throw new RangeError(`commitEntries: ${n * COMMITMENT_SALTS_BYTES} random bytes needed, ${salts.length} given`);
  const leafHashes = Buffer.allocUnsafe(n * LEAF_HASH_BYTES);
  let scratch = Buffer.allocUnsafe(1024);
  // The restricted form's bytes after a salt's room, kept while consecutive entries share it.
  let restricted = '';
  let restrictedInput = Buffer.alloc(0);
  const leafInput = Buffer.allocUnsafe(1 + LEAF_HASH_BYTES);
  leafInput[0] = LEAF_PREFIX;
  for (let i = 0; i < n; i++) {
    const entry = entries[i]!;
    const at = i * COMMITMENT_SALTS_BYTES;
    const form = restrictedForm(entry);
    if (form !== restricted) {
      restricted = form;
      const text = Buffer.from(form, 'utf8');
      restrictedInput = Buffer.allocUnsafe(SALT_BYTES + text.length);
      text.copy(restrictedInput, SALT_BYTES);
    }
    salts.copy(restrictedInput, 0, at + SALT_BYTES, at + COMMITMENT_SALTS_BYTES);
    const canonical = canonicalText(entry, hash('sha256', restrictedInput, 'hex'));
    // At most 3 UTF-8 bytes per UTF-16 unit: the scratch buffer always holds the whole text.
    if (scratch.length < SALT_BYTES + canonical.length * 3) scratch = Buffer.allocUnsafe(SALT_BYTES + canonical.length * 3);
    salts.copy(scratch, 0, at, at + SALT_BYTES);
    const length = SALT_BYTES + scratch.write(canonical, SALT_BYTES, 'utf8');
    hash('sha256', scratch.subarray(0, length), 'buffer').copy(leafInput, 1);
    // RFC 9162 §2.1.1, as merkle.ts's leafHash.
    hash('sha256', leafInput, 'buffer').copy(leafHashes, i * LEAF_HASH_BYTES);
  }
  return { salts, leafHashes };
}
