import type { AuditRepositories } from '../db/index.js';
import type { NoteVerifierKey } from '../db/note.js';
import type { Witness } from '../db/witness.js';

/** What the access log's GraphQL needs from outside the database: the log's key and its witness. */
export interface TransparencySettings {
  /** The checkpoints' key (its public half): verification never takes a key from the database. */
  key: NoteVerifierKey & { verifierKey: string };
  witness?: Witness;
}

/** Per gateway (its repositories), never per process: two gateways in one process keep theirs. */
const settings = new WeakMap<AuditRepositories, TransparencySettings>();

export function attachTransparency(repos: AuditRepositories, value: TransparencySettings): void {
  settings.set(repos, value);
}

export function transparencyOf(repos: AuditRepositories): TransparencySettings | undefined {
  return settings.get(repos);
}
