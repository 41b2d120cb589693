import type { AuditRepositories } from '../db/index.js';
import type { NoteVerifierKey } from '../db/note.js';
import type { Witness } from '../db/witness.js';

/** What the access log's GraphQL needs from outside the database: the log's key and its witness. */
export interface TransparencySettings {
  /** The checkpoints' key (its public half): verification never takes a key from the database. */
  key: NoteVerifierKey & { verifierKey: string };
  /** Every key a checkpoint may be signed by: `key` first, then the keys the log rotated from (ACCESS_LOG_TRUSTED_KEYS). */
  trusted: ReadonlyArray<NoteVerifierKey & { verifierKey: string }>;
  witness?: Witness;
}

/**
 * Per audit database (see AccessLogVerifier.sourceKey: the same for a request's repositories as
 * for the gateway's), never per process: two gateways on two databases in one process keep theirs.
 */
const settings = new WeakMap<object, TransparencySettings>();

export function attachTransparency(repos: AuditRepositories, value: TransparencySettings): void {
  settings.set(repos.accessLogVerifier.sourceKey, value);
}

export function transparencyOf(repos: AuditRepositories): TransparencySettings | undefined {
  return settings.get(repos.accessLogVerifier.sourceKey);
}
