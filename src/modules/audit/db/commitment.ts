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
 *   canonical form   = JSON ["access-log/v3", occurred at (ISO 8601 UTC, milliseconds), actor role,
 *                            actor agency, purpose, subject type, subject id, fields, outcome,
 *                            found by, hex SHA-256(restricted salt || restricted form)]
 *   leaf             = SHA-256(salt || canonical form)           (UTF-8 text, 32 bytes out)
 *   leaf hash        = SHA-256(0x00 || leaf)                      (RFC 9162 §2.1.1)
 *
 * Two parts, because not every reader may see everything: a citizen is shown who read their
 * data by agency and role, never the officer's identity, so the citizen gets the canonical form
 * and its salt, in which the officer, the request and the case are only a salted hash; auditors
 * also get the restricted form and its salt. Erasing both salts (retention) leaves the leaf hash,
 * and so the tree, verifiable, but the entry can no longer be matched to its leaf.
 *
 * v3 (issue 14) adds `found by`: the fields the person was found by in the request, so that one
 * entry says both what was read of a person and how they were found (v2 wrote a FOUND_BY entry
 * beside each read: two leaves per person on a page ordered by name). Entries written before it
 * have no found-by list (null) and keep their v2 form, without it; the restricted form did not
 * change and keeps its tag. Which form an entry has follows from its row: no reader chooses.
 */

export const CANONICAL_TAG = 'access-log/v3';
/** The form of entries written before found-by lists (their found_by is null). */
export const CANONICAL_TAG_V2 = 'access-log/v2';
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
  /**
   * The fields the subject was found by in the request (sorted); null for an entry of the v2
   * form, and absent for one read before the column existed (migration 0003 commits those).
   */
  found_by?: readonly string[] | null;
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

/** The canonical form around the restricted form's salted hash (hex): v3, or v2 for an entry without a found-by list. */
function canonicalText(entry: CommittedEntry, restrictedHash: string): string {
  const foundBy = entry.found_by ?? null;
  return JSON.stringify([
    foundBy === null ? CANONICAL_TAG_V2 : CANONICAL_TAG,
    entry.occurred_at.toISOString(),
    entry.actor_role,
    entry.actor_agency,
    entry.purpose,
    entry.subject_type,
    entry.subject_id,
    [...entry.fields],
    entry.outcome,
    ...(foundBy === null ? [] : [[...foundBy]]),
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
export function jsonValue(value: string | null | undefined): string {
  if (value == null) return 'null';
  return escapes(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Writes a string as JSON.stringify does (UTF-8) at `at`; returns the end. Printable ASCII (ids, most often) byte by byte. */
function writeJsonString(target: Buffer, at: number, value: string): number {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) return at + target.write(jsonValue(value), at, 'utf8');
  }
  target[at] = 0x22;
  for (let i = 0; i < n; i++) target[at + 1 + i] = value.charCodeAt(i);
  target[at + 1 + n] = 0x22;
  return at + n + 2;
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

function sameFields(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  if (a === b || (a == null && b == null)) return true;
  if (a == null || b == null) return false;
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
 * over a reused scratch buffer (salt and text side by side, no Hash object per step), and what
 * the entries of a request share is encoded once: the restricted form, the canonical form's
 * beginning (tag, time, role, agency, purpose, subject type) and its end (fields, outcome).
 * `random` (32 bytes per entry) is for the tests; by default fresh random bytes.
 */
export function commitEntries(entries: readonly CommittedEntry[], random?: Uint8Array): Commitments {
  const n = entries.length;
  const salts = random ? Buffer.from(random) : randomBytes(n * COMMITMENT_SALTS_BYTES);
  if (salts.length !== n * COMMITMENT_SALTS_BYTES) throw new RangeError(`commitEntries: ${n * COMMITMENT_SALTS_BYTES} random bytes needed, ${salts.length} given`);
  const leafHashes = Buffer.allocUnsafe(n * LEAF_HASH_BYTES);
  // The leaf's input, as canonicalText writes it (JSON.stringify's form; the tests compare both
  // ways): salt | head: `["access-log/v3",time,role,agency,purpose,type,` | subject id |
  // tail: `,[fields],outcome,[found by],"` | the restricted form's hash (64 hex digits) | `"]`. Only the
  // salt, the subject id and the restricted hash are written per entry; head and tail are
  // encoded when they change (compared column by column with the previous entry's).
  let scratch = Buffer.allocUnsafe(1024);
  let restrictedOf: CommittedEntry | undefined;
  let restrictedInput = Buffer.alloc(0);
  let headOf: CommittedEntry | undefined;
  let head = Buffer.alloc(0);
  /** Whether scratch holds head after the salt (false after a new head or a new scratch). */
  let headWritten = false;
  let tailOf: CommittedEntry | undefined;
  let tail = Buffer.alloc(0);
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
    if (!headOf || !samePrefix(headOf, entry) || headOf.subject_type !== entry.subject_type || (headOf.found_by == null) !== (entry.found_by == null)) {
      headOf = entry;
      head = Buffer.from(
        `[${jsonValue(entry.found_by == null ? CANONICAL_TAG_V2 : CANONICAL_TAG)},${jsonValue(entry.occurred_at.toISOString())},${jsonValue(entry.actor_role)},${jsonValue(entry.actor_agency)},${jsonValue(entry.purpose)},${jsonValue(entry.subject_type)},`,
        'utf8',
      );
      headWritten = false;
    }
    if (!tailOf || !sameFields(tailOf.fields, entry.fields) || tailOf.outcome !== entry.outcome || !sameFields(tailOf.found_by, entry.found_by)) {
      tailOf = entry;
      const foundBy = entry.found_by == null ? '' : `[${entry.found_by.map(jsonValue).join(',')}],`;
      tail = Buffer.from(`,[${entry.fields.map(jsonValue).join(',')}],${jsonValue(entry.outcome)},${foundBy}"`, 'utf8');
    }
    // 16-byte copies as loops: Buffer.copy's checks cost more than the copy.
    for (let k = 0; k < SALT_BYTES; k++) restrictedInput[k] = salts[at + SALT_BYTES + k]!;
    const id = entry.subject_id;
    // At most 3 UTF-8 bytes per UTF-16 unit, and 6 per unit escaped: the scratch buffer always holds the whole input.
    const room = SALT_BYTES + head.length + id.length * 6 + 2 + tail.length + 64 + 2;
    if (scratch.length < room) {
      scratch = Buffer.allocUnsafe(room * 2);
      headWritten = false;
    }
    for (let k = 0; k < SALT_BYTES; k++) scratch[k] = salts[at + k]!;
    if (!headWritten) {
      head.copy(scratch, SALT_BYTES);
      headWritten = true;
    }
    let end = SALT_BYTES + head.length;
    end = writeJsonString(scratch, end, id);
    for (let k = 0; k < tail.length; k++) scratch[end + k] = tail[k]!;
    end += tail.length;
    // Hex, as the canonical form holds it ('hex' is also the one-shot hash's fastest output).
    end += scratch.write(hash('sha256', restrictedInput, 'hex'), end, 'latin1');
    scratch[end++] = 0x22; // "
    scratch[end++] = 0x5d; // ]
    // Binary digests as 'binary' (latin1) text, one character per byte, written back byte for byte: on
    // Node 20 the one-shot hash's 'buffer' output takes a slower path than its text outputs.
    leafInput.write(hash('sha256', scratch.subarray(0, end), 'binary'), 1, 'latin1');
    // RFC 9162 §2.1.1, as merkle.ts's leafHash.
    leafHashes.write(hash('sha256', leafInput, 'binary'), i * LEAF_HASH_BYTES, 'latin1');
  }
  return { salts, leafHashes };
}
