import type { GraphContext } from '../../context.js';
import type { ExternalCheckpoint } from '../db/index.js';
import { AccessLogVerification } from './access-log.type.js';
import { transparencyOf } from './transparency.settings.js';

/**
 * Verifies the whole log now: the chain of the entries appended before the tree, then the tree
 * against its entries, its signed checkpoints (with the log's key, never one from the database)
 * and the witness's checkpoints when a witness is configured.
 */
export async function verifyAccessLogNow(ctx: GraphContext): Promise<AccessLogVerification> {
  const settings = transparencyOf(ctx.repos.audit);
  if (!settings) {
    // A gateway without its transparency started (never in a running gateway): the chain only.
    const chain = await ctx.repos.audit.accessLog.verify();
    return Object.assign(new AccessLogVerification(), {
      intact: chain.intact, checked: chain.checked, firstBadId: chain.firstBadId ?? null, problem: chain.problem ?? null, verifiedAt: new Date(),
      detail: null, treeSize: null, pending: null, checkpoints: null, witnessCheckpoints: null,
    });
  }
  // The witness first: what it holds was in the database before this verification's snapshot.
  const external: ExternalCheckpoint[] = settings.witness ? (await settings.witness.list()).map((c) => ({ source: `the witness (${settings.witness!.describe})`, note: c.note })) : [];
  const result = await ctx.repos.audit.accessLogVerifier.verify({ key: settings.trusted, external });
  return Object.assign(new AccessLogVerification(), {
    intact: result.intact,
    checked: result.checked,
    firstBadId: result.firstBadId ?? null,
    problem: result.problem ?? null,
    verifiedAt: new Date(),
    detail: result.detail ?? null,
    treeSize: result.tree?.treeSize ?? null,
    pending: result.tree?.pending ?? null,
    checkpoints: result.tree?.checkpoints ?? null,
    witnessCheckpoints: settings.witness ? (result.tree?.external ?? 0) : null,
  });
}
