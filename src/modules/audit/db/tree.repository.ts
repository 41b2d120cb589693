import { sql, type Kysely } from 'kysely';
import { consistencyProof, inclusionProof, nodeId, treeRoot, withNodes, type NodeKey } from './merkle.js';
import type { AuditDatabase } from './tables.js';

/** Where an entry stands in the tree: integrated (a leaf index) or still pending. */
export interface EntryLeaf {
  entryId: number;
  /** Null while the entry waits for the integrator. */
  leafIndex: number | null;
  leafHash: Buffer;
  /** Null once erased. */
  salt: Buffer | null;
  restrictedSalt: Buffer | null;
}

export interface Checkpoint {
  treeSize: number;
  root: Buffer;
  /** The signed note, signature lines included. */
  note: string;
  /** `<key name>+<key id hex>` of the key that signed it. */
  key: string;
  signedAt: Date;
}

export interface LeafRow {
  leafIndex: number;
  entryId: number;
  leafHash: Buffer;
  salt: Buffer | null;
  restrictedSalt: Buffer | null;
}

const bytes = (value: Uint8Array | null): Buffer | null => (value === null ? null : Buffer.from(value));

function toCheckpoint(row: { tree_size: number | string; root: Uint8Array; note: string; key: string; signed_at: Date }): Checkpoint {
  return { treeSize: Number(row.tree_size), root: Buffer.from(row.root), note: row.note, key: row.key, signedAt: row.signed_at };
}

/**
 * Reads of the access log's Merkle tree: the tree's state, its checkpoints, where entries stand,
 * and proofs. A proof costs two statements whatever the tree's size (the needed perfect subtrees
 * in one), and a page of proofs costs the same two.
 */
export class AccessLogTreeRepository {
  constructor(private readonly db: Kysely<AuditDatabase>) {}

  async state(): Promise<{ size: number; root: Buffer }> {
    const row = await this.db.selectFrom('access_log_tree').select(['size', 'root']).executeTakeFirstOrThrow();
    return { size: Number(row.size), root: Buffer.from(row.root) };
  }

  async latestCheckpoint(): Promise<Checkpoint | undefined> {
    const row = await this.db.selectFrom('access_log_checkpoint').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
    return row ? toCheckpoint(row) : undefined;
  }

  async checkpointAt(size: number): Promise<Checkpoint | undefined> {
    const row = await this.db.selectFrom('access_log_checkpoint').selectAll().where('tree_size', '=', size).executeTakeFirst();
    return row ? toCheckpoint(row) : undefined;
  }

  async checkpointsAt(sizes: readonly number[]): Promise<Checkpoint[]> {
    if (sizes.length === 0) return [];
    const rows = await this.db.selectFrom('access_log_checkpoint').selectAll().where('tree_size', '=', sql<number>`any(${[...sizes]}::bigint[])`).execute();
    return rows.map(toCheckpoint);
  }

  /** Every checkpoint, smallest tree first, a batch at a time. */
  async *checkpoints(batchSize = 1_000): AsyncGenerator<Checkpoint> {
    let after = -1;
    for (;;) {
      const rows = await this.db.selectFrom('access_log_checkpoint').selectAll().where('tree_size', '>', after).orderBy('tree_size').limit(batchSize).execute();
      for (const row of rows) yield toCheckpoint(row);
      if (rows.length < batchSize) return;
      after = Number(rows[rows.length - 1]!.tree_size);
    }
  }

  /** Leaves in index order from `from`, a batch at a time. */
  async *leaves(from = 0, batchSize = 1_000): AsyncGenerator<LeafRow> {
    let next = from;
    for (;;) {
      const rows = await this.db.selectFrom('access_log_leaf').select(['leaf_index', 'entry_id', 'leaf_hash', 'salt', 'restricted_salt']).where('leaf_index', '>=', next).orderBy('leaf_index').limit(batchSize).execute();
      for (const row of rows) {
        yield { leafIndex: Number(row.leaf_index), entryId: Number(row.entry_id), leafHash: Buffer.from(row.leaf_hash), salt: bytes(row.salt), restrictedSalt: bytes(row.restricted_salt) };
      }
      if (rows.length < batchSize) return;
      next = Number(rows[rows.length - 1]!.leaf_index) + 1;
    }
  }

  /** Where each entry stands: its leaf, or its pending row (one statement for the batch). */
  async leavesOf(entryIds: readonly number[]): Promise<Map<number, EntryLeaf>> {
    const found = new Map<number, EntryLeaf>();
    if (entryIds.length === 0) return found;
    const ids = [...entryIds];
    const { rows } = await sql<{ entry_id: number | string; leaf_index: number | string | null; leaf_hash: Uint8Array; salt: Uint8Array | null; restricted_salt: Uint8Array | null }>`
      select entry_id, leaf_index, leaf_hash, salt, restricted_salt from audit.access_log_leaf where entry_id = any(${ids}::bigint[])
      union all
      select entry_id, null, leaf_hash, salt, restricted_salt from audit.access_log_pending where entry_id = any(${ids}::bigint[])`.execute(this.db);
    for (const row of rows) {
      const entryId = Number(row.entry_id);
      // Integrated wins over a pending row seen in the same snapshot (there is none: one transaction moves it).
      if (found.get(entryId)?.leafIndex != null) continue;
      found.set(entryId, {
        entryId,
        leafIndex: row.leaf_index === null ? null : Number(row.leaf_index),
        leafHash: Buffer.from(row.leaf_hash),
        salt: bytes(row.salt),
        restrictedSalt: bytes(row.restricted_salt),
      });
    }
    return found;
  }

  /** The hashes of the given perfect subtrees (level 0: leaf hashes), in one statement. */
  async nodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
    return fetchNodes(this.db, keys);
  }

  /** Inclusion proofs of several leaves in the tree of `size` leaves (one statement for all). */
  async inclusionProofs(leafIndexes: readonly number[], size: number): Promise<Map<number, Uint8Array[]>> {
    const unique = [...new Set(leafIndexes)];
    const proofs = await withNodes((get) => unique.map((index) => inclusionProof(index, size, get)), (keys) => this.nodes(keys));
    return new Map(unique.map((index, i) => [index, proofs[i]!]));
  }

  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    return withNodes((get) => consistencyProof(from, to, get), (keys) => this.nodes(keys));
  }

  /** The root of the tree at an earlier size, from the stored nodes. */
  async rootAt(size: number): Promise<Uint8Array> {
    return withNodes((get) => treeRoot(size, get), (keys) => this.nodes(keys));
  }

  async pending(): Promise<{ count: number; oldest: Date | null }> {
    const row = await this.db
      .selectFrom('access_log_pending')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('appended_at').as('oldest')])
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: (row.oldest as Date | null) ?? null };
  }
}

/** The hashes of perfect subtrees: leaf hashes for level 0, stored nodes above. */
export async function fetchNodes(db: Kysely<AuditDatabase>, keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  const leaves = keys.filter((k) => k.level === 0).map((k) => k.index);
  const inner = keys.filter((k) => k.level > 0);
  if (leaves.length === 0 && inner.length === 0) return found;
  const { rows } = await sql<{ level: number; idx: number | string; hash: Uint8Array }>`
    select 0 as level, leaf_index as idx, leaf_hash as hash from audit.access_log_leaf where leaf_index = any(${leaves}::bigint[])
    union all
    select n.level, n.idx, n.hash from audit.access_log_node n
      join unnest(${inner.map((k) => k.level)}::smallint[], ${inner.map((k) => k.index)}::bigint[]) as k(level, idx) on n.level = k.level and n.idx = k.idx`.execute(db);
  for (const row of rows) found.set(nodeId(Number(row.level), Number(row.idx)), Buffer.from(row.hash));
  return found;
}
