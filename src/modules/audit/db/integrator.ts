import { sql, type Kysely } from 'kysely';
import { Frontier, HASH_BYTES } from './merkle.js';
import { checkpointText, type NoteSigner } from './note.js';
import type { AuditDatabase } from './tables.js';
import { fetchNodes, type Checkpoint } from './tree.repository.js';

export interface IntegrationResult {
  /** Entries that became leaves in this batch. */
  added: number;
  size: number;
  /** The checkpoint signed for the new size (none when nothing changed). */
  checkpoint?: Checkpoint;
  /** More entries are pending than one batch takes. */
  more: boolean;
}

/** The stored tree does not match its own state row: the integrator refuses to extend it. */
export class TreeStateError extends Error {}

/**
 * The log's checkpoints are signed by another key than this integrator's: a replica with another
 * ACCESS_LOG_SIGNING_KEY would sign checkpoints nobody verifies with the log's key. It refuses.
 */
export class SigningKeyMismatchError extends Error {}

/**
 * Sequences pending entries into the Merkle tree, a batch per transaction: it gives them the
 * next leaf indexes, stores the nodes they complete, moves the tree's size and root, deletes
 * their pending rows and signs a checkpoint of the new tree, all or nothing. Only one integrator
 * runs at a time (the gateway elects it, see the access-log integrator service); the tree row is
 * locked for the batch all the same, and leaf indexes and entry ids are unique, so a second one
 * could only fail, never fork the tree or integrate an entry twice.
 */
export class TreeIntegrator {
  /** The right edge of the tree as of the last batch this integrator committed. */
  private frontier: Frontier | undefined;
  private checkpointed = -1;

  constructor(
    private readonly signer: NoteSigner,
    /** previousKeys: `<name>+<key id>` of the keys the log signed with before this one (a tree they last signed is continued). */
    private readonly options: { maxBatch?: number; origin?: string; previousKeys?: readonly string[] } = {},
  ) {}

  get origin(): string {
    return this.options.origin ?? this.signer.name;
  }

  /** `<key name>+<key id>`, as the checkpoints record it. */
  get keyName(): string {
    return `${this.signer.name}+${this.signer.keyId.toString(16).padStart(8, '0')}`;
  }

  /** Forgets what it knew of the tree (another integrator may have moved it). */
  reset(): void {
    this.frontier = undefined;
    this.checkpointed = -1;
  }

  /**
   * One batch on `db` (the elected integrator's connection, or the embedded database). Signs a
   * checkpoint when entries were added, and also when the tree's current size has none yet
   * (the first run, after the migration).
   */
  async integrate(db: Kysely<AuditDatabase>): Promise<IntegrationResult> {
    const maxBatch = this.options.maxBatch ?? 2_000;
    try {
      const { result, edge } = await db.transaction().execute(async (tx): Promise<{ result: IntegrationResult; edge: Frontier }> => {
        const { rows: [state] } = await sql<{ size: number | string; root: Uint8Array }>`select size, root from audit.access_log_tree for update`.execute(tx);
        if (!state) throw new TreeStateError('the access log has no tree state row (migration 0003 not applied?)');
        const size = Number(state.size);
        let frontier = this.frontier?.size === size ? this.frontier : undefined;
        if (!frontier) {
          const nodes = await fetchNodes(tx, Frontier.keysFor(size));
          frontier = Frontier.resume(size, (level, index) => {
            const hash = nodes.get(`${level}:${index}`);
            if (!hash) throw new TreeStateError(`the tree of ${size} leaves lacks its node at level ${level}, index ${index}`);
            return hash;
          });
          if (!frontier.root().equals(Buffer.from(state.root))) throw new TreeStateError(`the stored nodes of the tree of ${size} leaves do not give its stored root`);
        }
        if (this.checkpointed < 0) {
          const latest = await tx.selectFrom('access_log_checkpoint').select(['tree_size', 'key']).orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
          if (latest && latest.key !== this.keyName && !(this.options.previousKeys ?? []).includes(latest.key)) {
            throw new SigningKeyMismatchError(`the access log's checkpoints are signed by ${latest.key}, this gateway's key is ${this.keyName}: it does not integrate (give every replica the same ACCESS_LOG_SIGNING_KEY; after a rotation, list the previous key in ACCESS_LOG_TRUSTED_KEYS)`);
          }
          this.checkpointed = latest ? Number(latest.tree_size) : -1;
        }

        // The batch's ids and leaf hashes in entry order, as one text and one bytea (no row per
        // entry to parse, the salts stay in the database: the leaves take them from the pending rows).
        const { rows: [taken] } = await sql<{ n: number | string; ids: string | null; leaves: Uint8Array | null }>`
          select count(*)::int as n, string_agg(entry_id::text, ',' order by entry_id) as ids, string_agg(leaf_hash, ''::bytea order by entry_id) as leaves
          from (select entry_id, leaf_hash from audit.access_log_pending order by entry_id limit ${maxBatch + 1}) p`.execute(tx);
        const count = Number(taken?.n ?? 0);
        const more = count > maxBatch;
        const n = Math.min(count, maxBatch);
        if (n === 0 && this.checkpointed === size) return { result: { added: 0, size, more: false }, edge: frontier };
        // The ids as the database wrote them (digits and commas), the first n of them.
        const ids = n === 0 ? '' : count > n ? taken!.ids!.split(',', n).join(',') : taken!.ids!;
        const stored = taken?.leaves ?? new Uint8Array(0);
        // Every leaf hash is 32 bytes (SHA-256): an aggregate of another length means a malformed pending row.
        if (stored.byteLength !== count * HASH_BYTES) throw new TreeStateError('a pending entry has a leaf hash that is not 32 bytes');
        const leafHashes = Buffer.from(stored.buffer, stored.byteOffset, n * HASH_BYTES);

        const next = frontier.clone();
        // The nodes completed, as columns (levels, indexes as text; hashes side by side), in one pass.
        const nodes = next.appendBatch(leafHashes, n);
        if (n > 0) {
          // One statement: the pending rows taken (deleted), their leaves (at size, size + 1, … in
          // entry order, with the leaf hashes the frontier was given) and the nodes completed. Arrays,
          // not a row of parameters per leaf: the statement is the same whatever the batch's size;
          // the numbers as one text each (the driver would quote every element of an array).
          const { rows: [moved] } = await sql<{ leaves: number | string; nodes: number | string }>`
            with want as (select u.entry_id, u.ord from unnest(string_to_array(${ids}, ',')::bigint[]) with ordinality as u (entry_id, ord)),
            taken as (
              delete from audit.access_log_pending p using want where p.entry_id = want.entry_id
              returning p.entry_id, p.salt, p.restricted_salt, want.ord
            ),
            leaves as (
              insert into audit.access_log_leaf (leaf_index, entry_id, leaf_hash, salt, restricted_salt)
              select ${size}::bigint + taken.ord - 1, taken.entry_id, substring(${leafHashes}::bytea from taken.ord::int * 32 - 31 for 32), taken.salt, taken.restricted_salt
              from taken order by taken.ord
              returning 1
            ),
            nodes as (
              insert into audit.access_log_node (level, idx, hash)
              select u.level, u.idx, substring(${nodes.hashes}::bytea from u.ord::int * 32 - 31 for 32)
              from unnest(string_to_array(${nodes.levels}, ',')::int[], string_to_array(${nodes.indexes}, ',')::bigint[]) with ordinality as u (level, idx, ord)
              returning 1
            )
            select (select count(*) from leaves) as leaves, (select count(*) from nodes) as nodes`.execute(tx);
          // Another integrator took some of them meanwhile (there is only one; the tree row is locked): all or nothing.
          if (Number(moved?.leaves) !== n || Number(moved?.nodes) !== nodes.count) throw new TreeStateError(`${n} pending entries read, ${Number(moved?.leaves)} taken into the tree`);
        }
        const root = next.root();
        if (n > 0) await tx.updateTable('access_log_tree').set({ size: next.size, root, updated_at: sql<Date>`now()` }).execute();
        const note = this.signer.sign(checkpointText(this.origin, next.size, root));
        const signed = await tx
          .insertInto('access_log_checkpoint')
          .values({ tree_size: next.size, root, note, key: this.keyName })
          .onConflict((oc) => oc.column('tree_size').doNothing())
          .returningAll()
          .executeTakeFirst();
        const checkpoint = signed ? { treeSize: Number(signed.tree_size), root: Buffer.from(signed.root), note: signed.note, key: signed.key, signedAt: signed.signed_at } : undefined;
        return { result: { added: n, size: next.size, more, checkpoint }, edge: next };
      });
      // Committed: only now does this integrator move on to the new edge.
      this.frontier = edge;
      this.checkpointed = result.size;
      return result;
    } catch (error) {
      // The transaction rolled back: what this integrator believed of the tree may be stale.
      this.reset();
      throw error;
    }
  }
}
