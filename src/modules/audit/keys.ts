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
