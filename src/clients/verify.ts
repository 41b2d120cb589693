/**
 * Verifiers of the access log's proofs, for anyone outside the gateway: small, with no
 * dependency (Web Crypto: SHA-256 and Ed25519, in browsers and in Node.js 20), so that a
 * citizen's app, an auditor's page or a witness can check what the gateway says without trusting
 * it.
 *
 * - verifyCheckpoint: a C2SP tlog-checkpoint signed as a C2SP signed-note with the log's Ed25519
 *   key (the verifier key from GET /.well-known/access-log/key).
 * - verifyInclusion, verifyConsistency: RFC 9162 §2.1.3.2 and §2.1.4.2.
 * - leafHashOf, verifyEntry: recompute an entry's leaf from its salt and canonical form, check it
 *   is what was shown, and prove it is in a signed checkpoint.
 *
 * Hashes and salts travel as base64 (standard alphabet, padded), as on checkpoints.
 */

type Bytes = Uint8Array;

type Subtle = (typeof globalThis.crypto)['subtle'];

const subtle = (): Subtle => {
  const crypto = globalThis.crypto;
  if (!crypto?.subtle) throw new Error('Web Crypto (crypto.subtle) is not available here');
  return crypto.subtle;
};

const encoder = new TextEncoder();

async function sha256(...parts: Bytes[]): Promise<Bytes> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard, padded base64; throws on anything else. */
export function fromBase64(text: string): Bytes {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) throw new Error('not standard padded base64');
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of clean) {
    value = (value << 6) | B64.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

export function toBase64(bytes: Bytes): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? B64[n & 63]! : '=');
  }
  return out;
}

const bytesOf = (value: Bytes | string): Bytes => (typeof value === 'string' ? fromBase64(value) : value);

function equal(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 9162 leaf hash: SHA-256(0x00 || leaf). */
export function leafHash(leaf: Bytes): Promise<Bytes> {
  return sha256(new Uint8Array([0]), leaf);
}

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Bytes, right: Bytes): Promise<Bytes> {
  return sha256(new Uint8Array([1]), left, right);
}

const isHash = (h: Bytes) => h.length === 32;
const isSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

export interface InclusionArgs {
  leafHash: Bytes | string;
  leafIndex: number;
  treeSize: number;
  /** The audit path, leaf to root. */
  hashes: ReadonlyArray<Bytes | string>;
  rootHash: Bytes | string;
}

/** RFC 9162 §2.1.3.2: whether the leaf is at `leafIndex` in the tree of `treeSize` with this root. */
export async function verifyInclusion(args: InclusionArgs): Promise<boolean> {
  try {
    const leaf = bytesOf(args.leafHash);
    const root = bytesOf(args.rootHash);
    const path = args.hashes.map(bytesOf);
    if (!isHash(leaf) || !isHash(root) || !path.every(isHash)) return false;
    if (!isSize(args.leafIndex) || !isSize(args.treeSize) || args.leafIndex >= args.treeSize) return false;
    // BigInt: indexes past 2^31 shift correctly.
    let fn = BigInt(args.leafIndex);
    let sn = BigInt(args.treeSize - 1);
    let r = leaf;
    for (const p of path) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && equal(r, root);
  } catch {
    return false;
  }
}

export interface ConsistencyArgs {
  fromSize: number;
  toSize: number;
  fromRoot: Bytes | string;
  toRoot: Bytes | string;
  hashes: ReadonlyArray<Bytes | string>;
}

/** RFC 9162 §2.1.4.2: whether the tree of `toSize` extends the tree of `fromSize` unchanged. */
export async function verifyConsistency(args: ConsistencyArgs): Promise<boolean> {
  try {
    const first = bytesOf(args.fromRoot);
    const second = bytesOf(args.toRoot);
    const proof = args.hashes.map(bytesOf);
    if (!isHash(first) || !isHash(second) || !proof.every(isHash)) return false;
    const { fromSize, toSize } = args;
    if (!isSize(fromSize) || !isSize(toSize) || fromSize > toSize) return false;
    // Equal trees: nothing to prove but the roots' equality. The empty tree is a prefix of any.
    if (fromSize === toSize) return proof.length === 0 && equal(first, second);
    if (fromSize === 0) return proof.length === 0;
    if (proof.length === 0) return false;
    const path = [...proof];
    // A first tree that is a complete subtree is not in the proof: it is its own first node.
    const m = BigInt(fromSize);
    if ((m & (m - 1n)) === 0n) path.unshift(first);
    let fn = m - 1n;
    let sn = BigInt(toSize - 1);
    while ((fn & 1n) === 1n) {
      fn >>= 1n;
      sn >>= 1n;
    }
    let fr = path[0]!;
    let sr = path[0]!;
    for (const c of path.slice(1)) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return equal(fr, first) && equal(sr, second) && sn === 0n;
  } catch {
    return false;
  }
}

/** A checkpoint whose signature verified. */
export interface VerifiedCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: Bytes;
  /** The note text (without the signature lines). */
  text: string;
  /** The id (8 hex digits) of the trusted key whose signature verified. */
  keyId: string;
}

/** The checkpoint is malformed, or not signed by the key. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

interface VerifierKey {
  name: string;
  keyId: number;
  publicKey: Bytes;
}

async function keyIdOf(name: string, publicKey: Bytes): Promise<number> {
  const hash = await sha256(encoder.encode(name), new Uint8Array([0x0a, 0x01]), publicKey);
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

/** Reads a signed-note Ed25519 verifier key: `<name>+<key id, 8 hex>+base64(0x01 || 32-byte key)`. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const parts = text.trim().split('+');
  if (parts.length < 3) throw new CheckpointError('a verifier key reads <name>+<key id>+<key>');
  const [name, id] = [parts[0]!, parts[1]!];
  let key: Bytes;
  try {
    key = fromBase64(parts.slice(2).join('+'));
  } catch {
    throw new CheckpointError('the verifier key is not base64');
  }
  if (!name || /[\s+]/u.test(name) || !/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== 0x01) throw new CheckpointError('not an Ed25519 verifier key');
  const publicKey = key.subarray(1);
  const keyId = await keyIdOf(name, publicKey);
  if (keyId.toString(16).padStart(8, '0') !== id) throw new CheckpointError('the verifier key id does not match its key');
  return { name, keyId, publicKey };
}

/** The log's verifier key, or the keys it trusts (the current one and those it rotated from). */
export type VerifierKeys = string | readonly string[];

/**
 * Verifies a signed checkpoint with the log's verifier key and returns its origin, tree size and
 * root. Signatures of other keys are ignored (signed-note); throws CheckpointError unless the
 * key's signature is there and verifies. Given several keys (a log that rotated its key: the
 * current one and the previous ones, GET /.well-known/access-log/key lists them), a valid
 * signature of any one of them suffices: checkpoints signed before the rotation still verify.
 */
export async function verifyCheckpoint(note: string, verifierKey: VerifierKeys): Promise<VerifiedCheckpoint> {
  const texts = typeof verifierKey === 'string' ? [verifierKey] : verifierKey;
  if (texts.length === 0) throw new CheckpointError('no verifier key to check the checkpoint with');
  const keys = await Promise.all(texts.map(parseVerifierKey));
  if (!note.endsWith('\n')) throw new CheckpointError('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new CheckpointError('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  let signer: VerifierKey | undefined;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new CheckpointError('a malformed signature line');
    let blob: Bytes;
    try {
      blob = fromBase64(match[2]!);
    } catch {
      continue;
    }
    if (blob.length !== 68) continue;
    const id = ((blob[0]! << 24) | (blob[1]! << 16) | (blob[2]! << 8) | blob[3]!) >>> 0;
    const key = keys.find((k) => k.name === match[1] && k.keyId === id);
    if (!key) continue;
    const publicKey = await subtle().importKey('raw', key.publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
    if (!(await subtle().verify({ name: 'Ed25519' }, publicKey, blob.subarray(4) as Uint8Array<ArrayBuffer>, encoder.encode(text)))) throw new CheckpointError('the signature of the log’s key does not verify');
    signer ??= key;
  }
  if (!signer) throw new CheckpointError(`the checkpoint carries no signature of ${[...new Set(keys.map((k) => k.name))].join(' or ')}${keys.length > 1 ? ` (${keys.length} trusted keys)` : ''}`);
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || !/^(0|[1-9][0-9]*)$/.test(size) || !root) throw new CheckpointError('a checkpoint has an origin, a tree size and a root hash line');
  let rootHash: Bytes;
  try {
    rootHash = fromBase64(root);
  } catch {
    throw new CheckpointError('the root hash line is not base64');
  }
  if (rootHash.length !== 32) throw new CheckpointError('the root hash is not 32 bytes');
  if (origin !== signer.name) throw new CheckpointError(`the checkpoint's origin ${origin} is not the key's name ${signer.name}`);
  return { origin, treeSize: Number(size), rootHash, text, keyId: signer.keyId.toString(16).padStart(8, '0') };
}

/** What an entry's canonical form says (see AccessLogCommitment in the schema). */
export interface CanonicalEntry {
  occurredAt: string;
  actorRole: string;
  actorAgency: string | null;
  purpose: string | null;
  subjectType: string;
  subjectId: string;
  fields: string[];
  outcome: string;
  /** The fields the subject was found by (v3); a v2 form has none of its own: its FOUND_BY entries list them as fields. */
  foundBy: string[];
  /** Hex SHA-256(restricted salt || restricted form). */
  restrictedCommitment: string;
}

type CanonicalHead = [string, string, string, string | null, string | null, string, string, string[], string];

/** Reads a canonical form: access-log/v3, or access-log/v2 (entries written before found-by lists, one element fewer). */
export function parseCanonicalForm(text: string): CanonicalEntry {
  const value = JSON.parse(text) as unknown;
  // v3 carries the found-by list before the restricted commitment; v2 had none (a FOUND_BY entry's fields were it).
  const v3 = Array.isArray(value) && value.length === 11 && value[0] === 'access-log/v3';
  if (!v3 && !(Array.isArray(value) && value.length === 10 && value[0] === 'access-log/v2')) throw new Error('not an access-log/v3 (or v2) canonical form');
  const form = value as [...CanonicalHead, ...unknown[]];
  const [, occurredAt, actorRole, actorAgency, purpose, subjectType, subjectId, fields, outcome] = form;
  const foundBy = v3 ? (form[9] as string[]) : outcome === 'FOUND_BY' ? fields : [];
  const restrictedCommitment = form[v3 ? 10 : 9] as string;
  return { occurredAt, actorRole, actorAgency, purpose, subjectType, subjectId, fields, outcome, foundBy, restrictedCommitment };
}

/** An entry's leaf hash: SHA-256(0x00 || SHA-256(salt || canonical form as UTF-8)). */
export async function leafHashOf(salt: Bytes | string, canonicalForm: string): Promise<Bytes> {
  return leafHash(await sha256(bytesOf(salt), encoder.encode(canonicalForm)));
}

/** Hex SHA-256(restricted salt || restricted form): what the canonical form carries of the restricted part. */
export async function restrictedCommitmentOf(restrictedSalt: Bytes | string, restrictedForm: string): Promise<string> {
  return [...(await sha256(bytesOf(restrictedSalt), encoder.encode(restrictedForm)))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What an entry's restricted form says (auditors' view). */
export interface RestrictedEntry {
  requestId: string;
  actorSubject: string;
  clientApp: string | null;
  operationName: string | null;
  documentHash: string | null;
  caseReference: string | null;
}

export function parseRestrictedForm(text: string): RestrictedEntry {
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value) || value.length !== 7 || value[0] !== 'access-log/v2/restricted') throw new Error('not an access-log/v2 restricted form');
  const [, requestId, actorSubject, clientApp, operationName, documentHash, caseReference] = value as [string, string, string, string | null, string | null, string | null, string | null];
  return { requestId, actorSubject, clientApp, operationName, documentHash, caseReference };
}

/** An entry as a client received it: what it shows, with its commitment and inclusion proof. */
export interface ShownEntry {
  /**
   * What the page shows of the entry; each given value must be what the log holds (the restricted
   * ones, requestId, actorSubject…, need the restricted form and its salt: auditors' view).
   */
  shown?: Partial<Pick<CanonicalEntry, 'occurredAt' | 'actorRole' | 'actorAgency' | 'purpose' | 'fields' | 'outcome' | 'foundBy' | 'subjectType' | 'subjectId'> & RestrictedEntry>;
  commitment: { salt: string | null; canonicalForm: string | null; restrictedSalt?: string | null; restrictedForm?: string | null } | null;
  inclusionProof: { leafIndex: number; treeSize: number; leafHash: string; hashes: readonly string[]; checkpoint: { note: string } } | null;
}

export type EntryVerification =
  | { verified: true; checkpoint: VerifiedCheckpoint; leafIndex: number }
  | { verified: false; reason: string; checkpoint?: VerifiedCheckpoint };

/**
 * Everything a reader can check of one entry: the checkpoint is signed by the log's key; the
 * entry recomputes to the proof's leaf (from its salt and canonical form; the restricted part too
 * when given); what is shown is what the canonical form says; and the leaf is in the
 * checkpoint's tree. `verified: true` says "inclusion verified against checkpoint N".
 */
export async function verifyEntry(entry: ShownEntry, verifierKey: VerifierKeys): Promise<EntryVerification> {
  const { commitment, inclusionProof: proof } = entry;
  if (!proof) return { verified: false, reason: 'not yet in a signed checkpoint (the log integrates entries within about a second)' };
  let checkpoint: VerifiedCheckpoint;
  try {
    checkpoint = await verifyCheckpoint(proof.checkpoint.note, verifierKey);
  } catch (error) {
    return { verified: false, reason: `checkpoint: ${(error as Error).message}` };
  }
  if (checkpoint.treeSize !== proof.treeSize) return { verified: false, reason: 'the proof is for another tree size than its checkpoint', checkpoint };
  if (!commitment?.salt || !commitment.canonicalForm) return { verified: false, reason: 'the entry’s salt is erased: its leaf can no longer be recomputed', checkpoint };
  const leaf = await leafHashOf(commitment.salt, commitment.canonicalForm);
  if (toBase64(leaf) !== proof.leafHash) return { verified: false, reason: 'the entry does not recompute to the proof’s leaf', checkpoint };
  let canonical: CanonicalEntry;
  try {
    canonical = parseCanonicalForm(commitment.canonicalForm);
  } catch (error) {
    return { verified: false, reason: (error as Error).message, checkpoint };
  }
  let restricted: RestrictedEntry | undefined;
  if (commitment.restrictedSalt && commitment.restrictedForm) {
    if ((await restrictedCommitmentOf(commitment.restrictedSalt, commitment.restrictedForm)) !== canonical.restrictedCommitment) {
      return { verified: false, reason: 'the restricted part does not match the canonical form', checkpoint };
    }
    restricted = parseRestrictedForm(commitment.restrictedForm);
  }
  const held: Record<string, unknown> = { ...canonical, ...restricted };
  for (const [name, value] of Object.entries(entry.shown ?? {})) {
    if (!(name in held)) return { verified: false, reason: `${name} cannot be checked without the restricted form and its salt`, checkpoint };
    const logged = held[name];
    const same = name === 'occurredAt' ? new Date(String(value)).getTime() === new Date(String(logged)).getTime() : JSON.stringify(value) === JSON.stringify(logged);
    if (!same) return { verified: false, reason: `what is shown as ${name} is not what the log holds`, checkpoint };
  }
  if (!(await verifyInclusion({ leafHash: leaf, leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: proof.hashes, rootHash: checkpoint.rootHash }))) {
    return { verified: false, reason: 'the inclusion proof does not lead to the checkpoint’s root', checkpoint };
  }
  return { verified: true, checkpoint, leafIndex: proof.leafIndex };
}
