/**
 * What the auditors' page checks itself rather than take from the gateway: the log's signed
 * checkpoint (with the keys of GET /.well-known/access-log/key), that it extends the checkpoint
 * this browser saw before (a consistency proof, RFC 9162), and that every row shown is in it (the
 * row recomputed into its leaf, the inclusion proof folded up to the checkpoint's root). The
 * verifiers are the typed client's (src/clients/verify.ts): Web Crypto, no dependency.
 *
 * The keys come from the gateway the page checks: they prove that the log is consistent with
 * itself over time, not who runs it (an auditor who pins the key elsewhere compares its id,
 * shown on the page).
 */
import { AccessLogConsistencyDocument, type AuditorAccessLogQuery } from '../../../generated/graphql.js';
import { toBase64, verifyCheckpoint, verifyConsistency, verifyEntry, type VerifiedCheckpoint } from '../../../clients/verify.js';
import { call, describe } from './api.js';

type LogEntry = NonNullable<AuditorAccessLogQuery['accessLog']>['edges'][number]['node'];

const WELL_KNOWN = '/.well-known/access-log';
/** The latest checkpoint this browser verified, per origin (local storage is the origin's). */
const SEEN_KEY = 'gateway.audit.seen-checkpoint';

/** The log's trusted keys (current first) and its latest checkpoint, verified. */
export interface Head {
  keys: string[];
  /** The id (8 hex) of the current key. */
  currentKeyId: string;
  checkpoint: VerifiedCheckpoint;
  consistency: Consistency;
}

export type Consistency =
  | { state: 'first'; detail: string }
  | { state: 'unchecked'; detail: string }
  | { state: 'consistent'; detail: string; seenSize: number }
  | { state: 'inconsistent'; detail: string; seenSize?: number };

/** A failure to fetch or verify the checkpoint: the rows are then not verified either. */
export class HeadError extends Error {}

async function fetchText(path: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${WELL_KNOWN}${path}`, { credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new HeadError(`${WELL_KNOWN}${path} cannot be reached (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new HeadError(`${WELL_KNOWN}${path} answered HTTP ${response.status}${response.status === 503 ? ' (no checkpoint signed yet)' : ''}`);
  return response;
}

interface KeyDocument {
  keyId?: unknown;
  verifierKey?: unknown;
  keys?: Array<{ verifierKey?: unknown }>;
}

async function trustedKeys(): Promise<{ keys: string[]; currentKeyId: string }> {
  const body = (await (await fetchText('/key')).json()) as KeyDocument;
  const listed = (body.keys ?? []).map((k) => k.verifierKey).filter((k): k is string => typeof k === 'string');
  const keys = listed.length > 0 ? listed : typeof body.verifierKey === 'string' ? [body.verifierKey] : [];
  if (keys.length === 0) throw new HeadError(`${WELL_KNOWN}/key lists no verifier key`);
  return { keys, currentKeyId: typeof body.keyId === 'string' ? body.keyId : '?' };
}

const sameRoot = (a: VerifiedCheckpoint, b: VerifiedCheckpoint) => toBase64(a.rootHash) === toBase64(b.rootHash);

/**
 * Whether `latest` extends the checkpoint seen before (kept in local storage): equal sizes must
 * have equal roots, a larger one comes with a consistency proof the page verifies, a smaller one
 * means entries were removed. Only a consistent (or first) checkpoint replaces the one kept, so a
 * contradiction stays reported on every visit.
 */
async function consistencyWith(latest: VerifiedCheckpoint, note: string, keys: string[]): Promise<Consistency> {
  const kept = localStorage.getItem(SEEN_KEY);
  // The note as served, kept verbatim: it is verified again on the next visit.
  const keep = () => localStorage.setItem(SEEN_KEY, note);
  if (!kept) {
    keep();
    return { state: 'first', detail: 'first checkpoint this browser has seen of the log' };
  }
  let seen: VerifiedCheckpoint;
  try {
    seen = await verifyCheckpoint(kept, keys);
  } catch (error) {
    return { state: 'inconsistent', detail: `the checkpoint seen before no longer verifies with the log's keys (${(error as Error).message})` };
  }
  if (seen.origin !== latest.origin) return { state: 'inconsistent', detail: `the checkpoint seen before is of another log (${seen.origin})`, seenSize: seen.treeSize };
  if (seen.treeSize > latest.treeSize) {
    return { state: 'inconsistent', detail: `a checkpoint of ${seen.treeSize} entries was seen before: the log now has ${latest.treeSize} (entries removed or the log rewritten)`, seenSize: seen.treeSize };
  }
  if (seen.treeSize === latest.treeSize) {
    if (!sameRoot(seen, latest)) return { state: 'inconsistent', detail: `the checkpoint of ${seen.treeSize} entries seen before has another root: the log was rewritten`, seenSize: seen.treeSize };
    return { state: 'consistent', detail: `the same as the checkpoint seen before`, seenSize: seen.treeSize };
  }
  let proof;
  try {
    ({ accessLogConsistency: proof } = await call((gateway) => gateway.request(AccessLogConsistencyDocument, { fromSize: seen.treeSize, toSize: latest.treeSize })));
  } catch (error) {
    return { state: 'unchecked', detail: `Consistency with the checkpoint of ${seen.treeSize} entries seen before not checked (${describe(error)})` };
  }
  const consistent =
    proof !== null &&
    proof.fromSize === seen.treeSize &&
    proof.toSize === latest.treeSize &&
    (await verifyConsistency({ fromSize: seen.treeSize, toSize: latest.treeSize, fromRoot: seen.rootHash, toRoot: latest.rootHash, hashes: proof.hashes }));
  if (!consistent) return { state: 'inconsistent', detail: `the log does not extend the checkpoint of ${seen.treeSize} entries seen before (its consistency proof fails): entries were changed or removed`, seenSize: seen.treeSize };
  keep();
  return { state: 'consistent', detail: `extends the checkpoint of ${seen.treeSize} entries seen before (consistency proof verified)`, seenSize: seen.treeSize };
}

/** The log's keys and latest checkpoint, verified, and its consistency with the one seen before. */
export async function fetchHead(): Promise<Head> {
  const { keys, currentKeyId } = await trustedKeys();
  const note = await (await fetchText('/checkpoint')).text();
  let checkpoint: VerifiedCheckpoint;
  try {
    checkpoint = await verifyCheckpoint(note, keys);
  } catch (error) {
    throw new HeadError(`the latest checkpoint does not verify: ${(error as Error).message}`);
  }
  return { keys, currentKeyId, checkpoint, consistency: await consistencyWith(checkpoint, note, keys) };
}

export type RowVerdict = { state: 'verified'; detail: string } | { state: 'pending'; detail: string } | { state: 'failed'; detail: string };

/**
 * One row: what it shows (every column, the restricted ones too: the auditor's view carries the
 * restricted form and its salt) is what the entry's leaf commits to, the leaf is in the
 * checkpoint the header verified, and its position is the leaf's.
 */
export async function verifyRow(entry: LogEntry, head: Head): Promise<RowVerdict> {
  if (!entry.commitment) return { state: 'failed', detail: 'NOT verified: the log never sequenced this entry (no leaf, not pending)' };
  if (!entry.inclusionProof) return { state: 'pending', detail: `pending: not yet in checkpoint ${head.checkpoint.treeSize} (integrated within about a second)` };
  const { occurredAt, actorSubject, actorRole, actorAgency, purpose, caseReference, subjectType, subjectId, fields, outcome, foundBy, requestId, clientApp, operationName, documentHash } = entry;
  const shown = { occurredAt, actorSubject, actorRole, actorAgency, purpose, caseReference, subjectType, subjectId, fields, outcome, foundBy, requestId, clientApp, operationName, documentHash };
  const result = await verifyEntry({ shown, commitment: entry.commitment, inclusionProof: entry.inclusionProof }, head.keys);
  if (!result.verified) return { state: 'failed', detail: `NOT verified: ${result.reason}` };
  if (result.checkpoint.treeSize !== head.checkpoint.treeSize || !sameRoot(result.checkpoint, head.checkpoint)) {
    return { state: 'failed', detail: `NOT verified: the proof leads to another checkpoint (${result.checkpoint.treeSize}) than the one verified above` };
  }
  if (entry.seq !== result.leafIndex + 1) return { state: 'failed', detail: `NOT verified: the position shown (#${entry.seq}) is not the entry's leaf (${result.leafIndex + 1})` };
  return { state: 'verified', detail: `verified: leaf ${result.leafIndex} in checkpoint ${result.checkpoint.treeSize}` };
}
