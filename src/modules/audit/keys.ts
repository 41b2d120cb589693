import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AccessLogConfig } from '../../config.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey, type NoteSigner, type NoteVerifierKey } from './db/note.js';

/** The name (and checkpoint origin) of a key generated outside production. */
export const GENERATED_KEY_NAME = 'city-data-gateway.local/access-log';

/** A key per process where there is no folder to keep one (DATA_DIR=memory://, tests). */
let ephemeral: NoteSigner | undefined;

/**
 * The key that signs the access log's checkpoints: ACCESS_LOG_SIGNING_KEY (required in
 * production); else the key kept in the data folder (`<DATA_DIR>/access-log-signing-key`),
 * generated there on first use; else (an in-memory database) one for this process.
 */
export function accessLogSigner(config: AccessLogConfig): NoteSigner {
  if (config.signingKey) return parseSignerKey(config.signingKey);
  if (!config.keyFile) return (ephemeral ??= parseSignerKey(generateSignerKey(GENERATED_KEY_NAME)));
  try {
    return parseSignerKey(readFileSync(config.keyFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(config.keyFile), { recursive: true });
  try {
    // 'wx': of two processes starting together, one writes it and both read the same key.
    writeFileSync(config.keyFile, `${generateSignerKey(GENERATED_KEY_NAME)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseSignerKey(readFileSync(config.keyFile, 'utf8'));
}

/**
 * The public key to verify checkpoints with, never taken from the audit database: `explicit`
 * (a verifier key `<name>+<id>+<key>`, or a file holding one), else the public half of the
 * signing key (ACCESS_LOG_SIGNING_KEY, or the data folder's key file). Undefined when none is
 * found (nothing is generated here).
 */
export function accessLogVerifierKey(config: AccessLogConfig, explicit?: string): (NoteVerifierKey & { verifierKey: string }) | undefined {
  if (explicit) {
    let text = explicit.trim();
    if (!/^[^\s+]+\+[0-9a-f]{8}\+/.test(text)) text = readFileSync(explicit, 'utf8').trim();
    if (text.startsWith('PRIVATE+KEY+')) return parseSignerKey(text);
    return { ...parseVerifierKey(text), verifierKey: text };
  }
  if (config.signingKey) return parseSignerKey(config.signingKey);
  if (!config.keyFile) return undefined;
  try {
    return parseSignerKey(readFileSync(config.keyFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A key the log's checkpoints are verified with: its public half, and its verifier key string. */
export type TrustedKey = NoteVerifierKey & { verifierKey: string };

const keyIdOf = (key: NoteVerifierKey) => `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;

/**
 * Every key a checkpoint of the log may be signed by: `first` (the current key: the signer's
 * public half, or the verifier key given) then the keys the log signed with before
 * (ACCESS_LOG_TRUSTED_KEYS, and `extra` verifier keys or files given on a command line), each
 * once. A rotated key keeps the log's name (the checkpoints' origin): a trusted key of another
 * name is refused, since its checkpoints would be of another log.
 */
export function accessLogTrustedKeys(first: TrustedKey, config: AccessLogConfig, extra: readonly string[] = []): TrustedKey[] {
  const keys: TrustedKey[] = [first];
  for (const text of [...config.trustedKeys, ...extra]) {
    const key = accessLogVerifierKey(config, text)!;
    const trusted: TrustedKey = { name: key.name, keyId: key.keyId, publicKey: key.publicKey, verifierKey: key.verifierKey };
    if (trusted.name !== first.name) throw new Error(`the trusted key ${keyIdOf(trusted)} is not of the log ${first.name}: a rotated key keeps the log's name`);
    if (!keys.some((k) => keyIdOf(k) === keyIdOf(trusted))) keys.push(trusted);
  }
  return keys;
}

/** `<key name>+<key id>`, as checkpoints record the key that signed them. */
export { keyIdOf as keyNameOf };
