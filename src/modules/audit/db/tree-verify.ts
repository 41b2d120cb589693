import { sql, type Kysely } from 'kysely';
import { commitEntry } from './commitment.js';
import { EMPTY_ROOT, Frontier, nodeId, type CompletedNode } from './merkle.js';
import { keyNames, NoteKeyError, openNoteWithKeys, parseCheckpointText, type NoteVerifierKey } from './note.js';
import type { AuditDatabase } from './tables.js';
import { AccessLogTreeRepository, fetchNodes, type LeafRow } from './tree.repository.js';

/**
 * CHANGED: an entry no longer matches its leaf, or a stored node or root no longer matches the leaves.
 * REMOVED: a leaf or its entry is missing (the tree is shorter than a checkpoint, a gap, an entry gone while its salt is kept).
 * INSERTED: an entry the log never sequenced (neither a leaf nor pending), or one sequenced twice.
 * UNSIGNED: the tree has no signed checkpoint at its size, or a checkpoint's signature does not verify.
 * CONTRADICTED: a checkpoint from outside the database (saved earlier, or the witness's) gives another root at its size.
 */
export type TreeProblem = 'CHANGED' | 'REMOVED' | 'INSERTED' | 'UNSIGNED' | 'CONTRADICTED';

export interface ExternalCheckpoint {
  /** Where it comes from, for the report: a file name, "witness". */
  source: string;
  note: string;
}

export interface TreeVerification {
  intact: boolean;
  /** The tree's size when the verification started. */
  treeSize: number;
  /** Entries whose content was recomputed into their leaf and found equal. */
  checked: number;
  /** Leaves whose salts are erased: in the tree, no longer matched to an entry. */
  erased: number;
  /** Signed checkpoints of the database verified (signature and root). */
  checkpoints: number;
  /** Checkpoints from outside the database verified against the tree. */
  external: number;
  /** Entries stored but not yet in the tree (the integrator takes them within about a second). */
  pending: number;
  problem?: TreeProblem;
  /** The entry (access_log id) at fault, when there is one. */
  firstBadId?: number;
  /** The leaf index at fault, when there is one. */
  firstBadLeaf?: number;
  /** The problem in plain words. */
  detail?: string;
}

export interface TreeVerifyOptions {
  /**
   * The log's public key, from outside the database (configuration, or `--key`), or the keys it
   * trusts: the current one and those it rotated from (a checkpoint signed by any verifies).
   */
  key: NoteVerifierKey | readonly NoteVerifierKey[];
  /** Checkpoints kept outside the database: each must agree with the tree. */
  external?: readonly ExternalCheckpoint[];
  batchSize?: number;
}

interface Opened {
  size: number;
  root: Buffer;
  source: string;
  note: string;
}

/**
 * Checks the whole tree from its leaves up, against the entries and against every signed
 * checkpoint: each entry whose salts are kept is recomputed into its leaf hash; the nodes and
 * the root are recomputed from the leaf hashes and compared with those stored; each checkpoint's
 * signature is verified with the key given (never one read from the database) and its root
 * compared with the recomputed root at its size; the tree's size must carry a checkpoint; every
 * entry is in the tree or pending, exactly once. Checkpoints kept outside the database (a file
 * saved earlier, the witness) are compared likewise: a rewrite of the database that recomputed
 * every hash and re-signed every checkpoint still contradicts them.
 */
export async function verifyTree(db: Kysely<AuditDatabase>, options: TreeVerifyOptions): Promise<TreeVerification> {
  const batchSize = options.batchSize ?? 1_000;
  const tree = new AccessLogTreeRepository(db);
  // One statement, one snapshot: the state and its latest checkpoint move together.
  const { rows: [snapshot] } = await sql<{ size: number | string; root: Uint8Array; latest: number | string | null; pending: number | string }>`
    select t.size, t.root, (select max(tree_size) from audit.access_log_checkpoint) as latest, (select count(*) from audit.access_log_pending) as pending
    from audit.access_log_tree t`.execute(db);
  if (!snapshot) throw new Error('the access log has no tree (migration 0003 not applied)');
  const treeSize = Number(snapshot.size);
  const result: TreeVerification = { intact: true, treeSize, checked: 0, erased: 0, checkpoints: 0, external: 0, pending: Number(snapshot.pending) };
  const broken = (problem: TreeProblem, detail: string, where: { firstBadId?: number; firstBadLeaf?: number } = {}): TreeVerification =>
    Object.assign(result, { intact: false, problem, detail, ...where });

  // External checkpoints: signed by the log's key, or they prove nothing.
  const external: Opened[] = [];
  for (const item of options.external ?? []) {
    let opened;
    try {
      opened = openNoteWithKeys(item.note, options.key);
    } catch (error) {
      return broken('UNSIGNED', `${item.source}: ${error instanceof NoteKeyError ? error.message : String(error)}`);
    }
    if (!opened.verified) return broken('UNSIGNED', `${item.source}: no valid signature of ${keyNames(options.key)} on the checkpoint`);
    const body = parseCheckpointText(opened.text);
    if (body.size > treeSize) return broken('REMOVED', `${item.source} is a checkpoint of ${body.size} entries, but the log now has ${treeSize}: entries were removed or the log was rewritten`);
    external.push({ size: body.size, root: body.root, source: item.source, note: item.note });
  }

  const checkpoints = tree.checkpoints();
  let nextCheckpoint = (await checkpoints.next()).value;
  const checkAt = (size: number, root: Buffer): TreeVerification | undefined => {
    for (const item of external.filter((e) => e.size === size)) {
      if (!item.root.equals(root)) {
        return broken('CONTRADICTED', `${item.source} says the log of ${size} entries has root ${item.root.toString('base64')}; the log now gives ${root.toString('base64')}`, {
          firstBadLeaf: size - 1,
        });
      }
      result.external += 1;
    }
    return undefined;
  };
  const checkCheckpoint = async (size: number, root: Buffer): Promise<TreeVerification | undefined> => {
    while (nextCheckpoint && nextCheckpoint.treeSize === size) {
      const checkpoint = nextCheckpoint;
      let opened;
      try {
        opened = openNoteWithKeys(checkpoint.note, options.key);
      } catch {
        return broken('UNSIGNED', `the checkpoint of ${size} entries is not a signed note`);
      }
      if (!opened.verified) return broken('UNSIGNED', `the checkpoint of ${size} entries carries no valid signature of ${keyNames(options.key)}`, { firstBadLeaf: size - 1 });
      const body = parseCheckpointText(opened.text);
      if (body.size !== size || !body.root.equals(root) || !checkpoint.root.equals(root)) {
        return broken('CHANGED', `the checkpoint of ${size} entries has root ${body.root.toString('base64')}; the leaves give ${root.toString('base64')}`, { firstBadLeaf: size - 1 });
      }
      result.checkpoints += 1;
      nextCheckpoint = (await checkpoints.next()).value;
    }
    return undefined;
  };

  const empty = (await checkCheckpoint(0, EMPTY_ROOT)) ?? checkAt(0, EMPTY_ROOT);
  if (empty) return empty;

  const frontier = Frontier.empty();
  let batch: LeafRow[] = [];
  const flush = async (): Promise<TreeVerification | undefined> => {
    if (batch.length === 0) return undefined;
    const entries = await db.selectFrom('access_log').selectAll().where('id', '=', sql<number>`any(${batch.map((leaf) => leaf.entryId)}::bigint[])`).execute();
    const byId = new Map(entries.map((row) => [Number(row.id), row]));
    const completed: CompletedNode[] = [];
    for (const leaf of batch) {
      if (leaf.leafIndex !== frontier.size) return broken('REMOVED', `leaf ${frontier.size} is missing`, { firstBadLeaf: frontier.size });
      const entry = byId.get(leaf.entryId);
      if (leaf.salt && leaf.restrictedSalt) {
        if (!entry) return broken('REMOVED', `the entry of leaf ${leaf.leafIndex} (id ${leaf.entryId}) is gone, while its salts are kept`, { firstBadId: leaf.entryId, firstBadLeaf: leaf.leafIndex });
        const { leafHash } = commitEntry(entry, { salt: leaf.salt, restrictedSalt: leaf.restrictedSalt });
        if (!leafHash.equals(leaf.leafHash)) return broken('CHANGED', `entry id ${leaf.entryId} no longer matches leaf ${leaf.leafIndex}`, { firstBadId: leaf.entryId, firstBadLeaf: leaf.leafIndex });
        result.checked += 1;
      } else {
        result.erased += 1;
      }
      completed.push(...frontier.append(leaf.leafHash));
      const root = frontier.root();
      const problem = (await checkCheckpoint(frontier.size, root)) ?? checkAt(frontier.size, root);
      if (problem) return problem;
    }
    const stored = await fetchNodes(db, completed);
    for (const node of completed) {
      const hash = stored.get(nodeId(node.level, node.index));
      if (!hash || !node.hash.equals(Buffer.from(hash))) {
        const first = node.index * 2 ** node.level;
        return broken('CHANGED', `the stored node at level ${node.level}, index ${node.index} (leaves ${first}–${first + 2 ** node.level - 1}) ${hash ? 'differs from its leaves' : 'is missing'}`, {
          firstBadLeaf: first,
        });
      }
    }
    batch = [];
    return undefined;
  };
  for await (const leaf of tree.leaves(0, batchSize)) {
    if (leaf.leafIndex >= treeSize) break;
    batch.push(leaf);
    if (batch.length >= batchSize) {
      const problem = await flush();
      if (problem) return problem;
    }
  }
  const problem = await flush();
  if (problem) return problem;

  if (frontier.size !== treeSize) return broken('REMOVED', `the tree says ${treeSize} leaves, ${frontier.size} are there`, { firstBadLeaf: frontier.size });
  if (!frontier.root().equals(Buffer.from(snapshot.root))) return broken('CHANGED', 'the stored root does not match the leaves');
  const latest = snapshot.latest === null ? -1 : Number(snapshot.latest);
  if (latest !== treeSize) {
    return latest > treeSize
      ? broken('REMOVED', `a checkpoint of ${latest} entries was signed, but the tree has ${treeSize}`, { firstBadLeaf: treeSize })
      : broken('UNSIGNED', `no checkpoint was signed for the tree's ${treeSize} entries (the latest is of ${latest})`, { firstBadLeaf: Math.max(latest, 0) });
  }

  // Every entry is a leaf or pending, and only once.
  const { rows: stray } = await sql<{ id: number | string }>`
    select a.id from audit.access_log a
    where not exists (select 1 from audit.access_log_leaf l where l.entry_id = a.id)
      and not exists (select 1 from audit.access_log_pending p where p.entry_id = a.id)
    order by a.id limit 1`.execute(db);
  if (stray[0]) return broken('INSERTED', `entry id ${stray[0].id} is neither in the tree nor pending: the log never sequenced it`, { firstBadId: Number(stray[0].id) });
  const { rows: twice } = await sql<{ entry_id: number | string }>`
    select p.entry_id from audit.access_log_pending p where exists (select 1 from audit.access_log_leaf l where l.entry_id = p.entry_id) limit 1`.execute(db);
  if (twice[0]) return broken('INSERTED', `entry id ${twice[0].entry_id} is both in the tree and pending`, { firstBadId: Number(twice[0].entry_id) });

  // Pending entries: their leaf hashes, already fixed, must match them too.
  const { rows: pendingRows } = await sql<{ entry_id: number | string; leaf_hash: Uint8Array; salt: Uint8Array; restricted_salt: Uint8Array }>`
    select entry_id, leaf_hash, salt, restricted_salt from audit.access_log_pending order by entry_id limit 10000`.execute(db);
  if (pendingRows.length > 0) {
    const entries = await db.selectFrom('access_log').selectAll().where('id', '=', sql<number>`any(${pendingRows.map((r) => Number(r.entry_id))}::bigint[])`).execute();
    const byId = new Map(entries.map((row) => [Number(row.id), row]));
    for (const row of pendingRows) {
      const entry = byId.get(Number(row.entry_id));
      if (entry && !commitEntry(entry, { salt: row.salt, restrictedSalt: row.restricted_salt }).leafHash.equals(Buffer.from(row.leaf_hash))) {
        return broken('CHANGED', `pending entry id ${row.entry_id} no longer matches its leaf hash`, { firstBadId: Number(row.entry_id) });
      }
    }
  }
  return result;
}
