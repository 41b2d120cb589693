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

/** Whether JSON.stringify escapes anything in the string: a quote, a backslash, a control character, a surrogate (lone ones). */
function escapes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** A string or null as JSON.stringify writes it (quoted as is when nothing in it needs escaping, the most common case). */
function jsonValue(value: string | null | undefined): string {
  if (value == null) return 'null';
  return escapes(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Whether two entries have the same restricted form (the same request's entries do). */
function sameRestricted(a: CommittedEntry, b: CommittedEntry): boolean {
  return (
    a.request_id === b.request_id &&
    a.actor_subject === b.actor_subject &&
    a.client_app === b.client_app &&
    a.operation_name === b.operation_name &&
    a.document_hash === b.document_hash &&
    a.case_reference === b.case_reference
  );
}

/** Whether two entries begin their canonical forms alike (time, role, agency, purpose: the same request's entries do). */
function samePrefix(a: CommittedEntry, b: CommittedEntry): boolean {
  return a.occurred_at.getTime() === b.occurred_at.getTime() && a.actor_role === b.actor_role && a.actor_agency === b.actor_agency && a.purpose === b.purpose;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  // What consecutive entries of a request share is made once per run of them, compared column
  // by column: the restricted form's bytes (after a salt's room), the canonical form's beginning
  // (tag, time, role, agency, purpose) and its list of fields. The canonical text is written as
  // JSON.stringify writes the array (canonicalText; the tests compare both ways), from its parts.
  let restrictedOf: CommittedEntry | undefined;
  let restrictedInput = Buffer.alloc(0);
  let prefixOf: CommittedEntry | undefined;
  let prefix = '';
  let fieldsOf: readonly string[] | undefined;
  let fieldsText = '';
  const leafInput = Buffer.allocUnsafe(1 + LEAF_HASH_BYTES);
  leafInput[0] = LEAF_PREFIX;
  for (let i = 0; i < n; i++) {
    const entry = entries[i]!;
    const at = i * COMMITMENT_SALTS_BYTES;
    if (!restrictedOf || !sameRestricted(restrictedOf, entry)) {
      restrictedOf = entry;
      const text = Buffer.from(restrictedForm(entry), 'utf8');
      restrictedInput = Buffer.allocUnsafe(SALT_BYTES + text.length);
      text.copy(restrictedInput, SALT_BYTES);
    }
    if (!prefixOf || !samePrefix(prefixOf, entry)) {
      prefixOf = entry;
      prefix = `[${jsonValue(CANONICAL_TAG)},${jsonValue(entry.occurred_at.toISOString())},${jsonValue(entry.actor_role)},${jsonValue(entry.actor_agency)},${jsonValue(entry.purpose)},`;
    }
    if (!fieldsOf || !sameFields(fieldsOf, entry.fields)) {
      fieldsOf = entry.fields;
      fieldsText = `[${entry.fields.map(jsonValue).join(',')}]`;
    }
    salts.copy(restrictedInput, 0, at + SALT_BYTES, at + COMMITMENT_SALTS_BYTES);
    // Hex, as the canonical form holds it ('hex' is also the one-shot hash's fastest output).
    const restrictedHash = hash('sha256', restrictedInput, 'hex');
    const canonical = `${prefix}${jsonValue(entry.subject_type)},${jsonValue(entry.subject_id)},${fieldsText},${jsonValue(entry.outcome)},"${restrictedHash}"]`;
    // At most 3 UTF-8 bytes per UTF-16 unit: the scratch buffer always holds the whole text.
    if (scratch.length < SALT_BYTES + canonical.length * 3) scratch = Buffer.allocUnsafe(SALT_BYTES + canonical.length * 3);
    salts.copy(scratch, 0, at, at + SALT_BYTES);
    const length = SALT_BYTES + scratch.write(canonical, SALT_BYTES, 'utf8');
    // Binary digests as 'binary' (latin1) text, one character per byte, written back byte for byte: on
    // Node 20 the one-shot hash's 'buffer' output takes a slower path than its text outputs.
    leafInput.write(hash('sha256', scratch.subarray(0, length), 'binary'), 1, 'latin1');
    // RFC 9162 §2.1.1, as merkle.ts's leafHash.
    leafHashes.write(hash('sha256', leafInput, 'binary'), i * LEAF_HASH_BYTES, 'latin1');
  }
  return { salts, leafHashes };
}
