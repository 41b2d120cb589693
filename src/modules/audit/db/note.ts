import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify as verifySignature, type KeyObject } from 'node:crypto';

/**
 * Signed checkpoints: the C2SP `tlog-checkpoint` body (origin line, tree size, base64 root hash)
 * signed as a C2SP `signed-note` with Ed25519.
 *
 *   note      = text || "\n" || "— " || key name || " " || base64(key ID (4 bytes, big-endian) || signature) || "\n"
 *   key ID    = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]
 *
 * Keys are written as Go's golang.org/x/mod/sumdb/note writes them, so that its tools (and
 * witnesses built on it) read them:
 *
 *   signer key    PRIVATE+KEY+<name>+<key ID, 8 hex>+base64(0x01 || 32-byte Ed25519 seed)
 *   verifier key  <name>+<key ID, 8 hex>+base64(0x01 || 32-byte public key)
 */

const ED25519 = 0x01;
/** PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI prefix of a raw Ed25519 public key. */
const SPKI_PREFIX_LENGTH = 12;

export class NoteKeyError extends Error {}

/** Key names are non-empty and hold no Unicode space and no '+' (signed-note). */
export function validKeyName(name: string): boolean {
  // \s covers the ASCII control characters a note may not hold (newline, tab…); the rest are checked by code.
  return name.length > 0 && !/[\s+]/u.test(name) && [...name].every((char) => char.charCodeAt(0) >= 0x20);
}

export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const hash = createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ED25519])).update(publicKey).digest();
  return hash.readUInt32BE(0);
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

export interface NoteSigner {
  name: string;
  keyId: number;
  /** 32 bytes. */
  publicKey: Buffer;
  /** `<name>+<key ID>+<base64(0x01 || public key)>`: what verifiers are configured with. */
  verifierKey: string;
  /** Signs `text` (which ends in a newline) and returns the whole signed note. */
  sign(text: string): string;
}

function signerFrom(name: string, seed: Buffer): NoteSigner {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX_LENGTH);
  const keyId = noteKeyId(name, publicKey);
  const idBytes = Buffer.alloc(4);
  idBytes.writeUInt32BE(keyId);
  return {
    name,
    keyId,
    publicKey,
    verifierKey: `${name}+${hex8(keyId)}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`,
    sign(text) {
      if (!text.endsWith('\n')) throw new NoteKeyError('a note text ends with a newline');
      const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
      return `${text}\n\u2014 ${name} ${Buffer.concat([idBytes, signature]).toString('base64')}\n`;
    },
  };
}

/** Reads a signer key (`PRIVATE+KEY+<name>+<id>+<key>`); throws NoteKeyError in plain words. */
export function parseSignerKey(text: string): NoteSigner {
  const parts = text.trim().split('+');
  // The base64 part may itself contain '+'.
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new NoteKeyError('a signer key reads PRIVATE+KEY+<name>+<key id>+<key>');
  const [name, id] = [parts[2]!, parts[3]!];
  const key = Buffer.from(parts.slice(4).join('+'), 'base64');
  if (!validKeyName(name)) throw new NoteKeyError(`the key name "${name}" must be non-empty, without spaces or "+"`);
  if (!/^[0-9a-f]{8}$/.test(id)) throw new NoteKeyError('the key id must be 8 lowercase hex digits');
  if (key.length !== 33 || key[0] !== ED25519) throw new NoteKeyError('the key must be base64 of 0x01 followed by a 32-byte Ed25519 seed');
  const signer = signerFrom(name, key.subarray(1));
  if (hex8(signer.keyId) !== id) throw new NoteKeyError(`the key id ${id} does not match the key (it is ${hex8(signer.keyId)})`);
  return signer;
}

/** A new signer key for `name`. */
export function generateSignerKey(name: string): string {
  if (!validKeyName(name)) throw new NoteKeyError(`the key name "${name}" must be non-empty, without spaces or "+"`);
  const seed = randomBytes(32);
  const signer = signerFrom(name, seed);
  return `PRIVATE+KEY+${name}+${hex8(signer.keyId)}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64')}`;
}

/** The C2SP tlog-checkpoint note text of a tree. */
export function checkpointText(origin: string, size: number, root: Uint8Array): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

export interface NoteVerifierKey {
  name: string;
  keyId: number;
  publicKey: Buffer;
}

/** Reads a verifier key (`<name>+<id>+<base64(0x01 || public key)>`). */
export function parseVerifierKey(text: string): NoteVerifierKey {
  const parts = text.trim().split('+');
  if (parts.length < 3) throw new NoteKeyError('a verifier key reads <name>+<key id>+<key>');
  const [name, id] = [parts[0]!, parts[1]!];
  const key = Buffer.from(parts.slice(2).join('+'), 'base64');
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || key.length !== 33 || key[0] !== ED25519) throw new NoteKeyError('not an Ed25519 verifier key (<name>+<8 hex>+base64(0x01 || 32 bytes))');
  const publicKey = key.subarray(1);
  const keyId = noteKeyId(name, publicKey);
  if (hex8(keyId) !== id) throw new NoteKeyError(`the key id ${id} does not match the key (it is ${hex8(keyId)})`);
  return { name, keyId, publicKey };
}

export interface OpenedNote {
  text: string;
  /** Whether a signature of `key` is on the note and verifies. */
  verified: boolean;
}

/**
 * Splits a signed note and checks the signature of `key` on it (signatures of other keys are
 * ignored, as signed-note says). Throws NoteKeyError when the note is malformed.
 */
export function openNote(note: string, key: NoteVerifierKey): OpenedNote {
  if (!note.endsWith('\n')) throw new NoteKeyError('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteKeyError('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]);
  const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  let verified = false;
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new NoteKeyError(`not a signature line: ${JSON.stringify(line)}`);
    const blob = Buffer.from(match[2]!, 'base64');
    if (match[1] !== key.name || blob.length < 4 || blob.readUInt32BE(0) !== key.keyId) continue;
    if (!verifySignature(null, Buffer.from(text, 'utf8'), publicKey, blob.subarray(4))) return { text, verified: false };
    verified = true;
  }
  return { text, verified };
}

export interface CheckpointBody {
  origin: string;
  size: number;
  root: Buffer;
}

/** The three lines of a tlog-checkpoint text (extension lines are ignored). */
export function parseCheckpointText(text: string): CheckpointBody {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  if (!origin || !size || !/^(0|[1-9][0-9]*)$/.test(size) || !root) throw new NoteKeyError('a checkpoint has an origin, a tree size and a root hash line');
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root) throw new NoteKeyError('the root hash line is not base64 of 32 bytes');
  return { origin, size: Number(size), root: hash };
}

/**
 * openNote with several trusted keys (the log's current key and those it rotated from): verified
 * when a signature of one of them is on the note and verifies, and none of theirs fails.
 */
export function openNoteWithKeys(note: string, keys: NoteVerifierKey | readonly NoteVerifierKey[]): OpenedNote & { key?: NoteVerifierKey } {
  const list: readonly NoteVerifierKey[] = Array.isArray(keys) ? keys : [keys as NoteVerifierKey];
  let opened: OpenedNote | undefined;
  let signer: NoteVerifierKey | undefined;
  for (const key of list) {
    opened = openNote(note, key);
    // A signature of a trusted key that does not verify: the note is forged, whatever the others say.
    if (!opened.verified && hasSignatureOf(note, key)) return { text: opened.text, verified: false };
    if (opened.verified) signer ??= key;
  }
  if (!opened) throw new NoteKeyError('no key to verify the note with');
  return { text: opened.text, verified: signer !== undefined, ...(signer ? { key: signer } : {}) };
}

function hasSignatureOf(note: string, key: NoteVerifierKey): boolean {
  const lines = note.slice(note.lastIndexOf('\n\n') + 2, -1).split('\n');
  return lines.some((line) => {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match || match[1] !== key.name) return false;
    const blob = Buffer.from(match[2]!, 'base64');
    return blob.length >= 4 && blob.readUInt32BE(0) === key.keyId;
  });
}

/** The names (`<name>+<key id>`) of keys, for messages. */
export function keyNames(keys: NoteVerifierKey | readonly NoteVerifierKey[]): string {
  const list: readonly NoteVerifierKey[] = Array.isArray(keys) ? keys : [keys as NoteVerifierKey];
  return list.map((k) => `${k.name}+${k.keyId.toString(16).padStart(8, '0')}`).join(' or ');
}
