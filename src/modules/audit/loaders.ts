import { keyLoader, mapLoader, type LoaderOptions } from '../../platform/loaders/batch.js';
import type { AuditRepositories, Checkpoint } from './db/index.js';

/**
 * Per request: where the entries of a page stand in the tree, and their inclusion proofs, a
 * statement or two for the whole page whatever its size.
 */
export function auditLoaders(repos: AuditRepositories, options: LoaderOptions) {
  const tree = repos.accessLogTree;
  let latest: Promise<Checkpoint | undefined> | undefined;
  const proofLoaders = new Map<number, ReturnType<typeof proofsAt>>();
  const proofsAt = (size: number) => mapLoader((leafIndexes: readonly number[]) => tree.inclusionProofs(leafIndexes, size), [] as Uint8Array[], options);
  return {
    entryLeaf: mapLoader((entryIds: readonly number[]) => tree.leavesOf(entryIds), null, options),
    checkpointAt: keyLoader((sizes: readonly number[]) => tree.checkpointsAt(sizes), (row: Checkpoint) => row.treeSize, options),
    /** The latest checkpoint, read once per request: every proof of the response is against the same one. */
    latestCheckpoint: () => (latest ??= tree.latestCheckpoint()),
    /** Inclusion proofs in the tree of `size` leaves, by leaf index. */
    inclusionProofAt(size: number) {
      let loader = proofLoaders.get(size);
      if (!loader) proofLoaders.set(size, (loader = proofsAt(size)));
      return loader;
    },
  };
}

export type AuditLoaders = ReturnType<typeof auditLoaders>;
