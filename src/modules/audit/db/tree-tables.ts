import type { Generated, Selectable } from 'kysely';

/**
 * The access log's Merkle tree (issue 15), beside the entries: every entry becomes one leaf, in
 * the order the integrator takes them. Leaves, nodes and checkpoints are append-only (triggers);
 * a leaf's salts may only be erased.
 */
export interface AccessLogLeafTable {
  /** 0, 1, 2… without gaps: the entry's position in the tree. */
  leaf_index: number;
  /** The entry (access_log.id); no foreign key: an entry deleted after its retention leaves its leaf. */
  entry_id: number;
  /** RFC 9162 leaf hash of the entry's salted commitment (see commitment.ts), 32 bytes. */
  leaf_hash: Uint8Array;
  /** The salt of the canonical form; null once erased. */
  salt: Uint8Array | null;
  /** The salt of the restricted form; null once erased. */
  restricted_salt: Uint8Array | null;
  integrated_at: Generated<Date>;
}

/** A complete perfect subtree of level ≥ 1 (level 0 is the leaf table): [idx·2^level, (idx+1)·2^level). */
export interface AccessLogNodeTable {
  level: number;
  idx: number;
  hash: Uint8Array;
}

/** The tree's size and root, one row, moved by the integrator only (appenders never touch it). */
export interface AccessLogTreeTable {
  singleton: Generated<boolean>;
  size: number;
  root: Uint8Array;
  updated_at: Generated<Date>;
}

/** Every checkpoint the log signed (C2SP tlog-checkpoint as a signed note), one per tree size. */
export interface AccessLogCheckpointTable {
  tree_size: number;
  root: Uint8Array;
  /** The whole signed note, signature lines included. */
  note: string;
  /** `<key name>+<key id hex>`: which key signed it. */
  key: string;
  signed_at: Generated<Date>;
}

/**
 * Entries stored but not yet in the tree: each appender writes its entries and their pending
 * rows in one statement, with no shared row to lock; the integrator turns them into leaves.
 */
export interface AccessLogPendingTable {
  entry_id: number;
  leaf_hash: Uint8Array;
  salt: Uint8Array;
  restricted_salt: Uint8Array;
  appended_at: Generated<Date>;
}

export interface AccessLogTreeDatabase {
  access_log_leaf: AccessLogLeafTable;
  access_log_node: AccessLogNodeTable;
  access_log_tree: AccessLogTreeTable;
  access_log_checkpoint: AccessLogCheckpointTable;
  access_log_pending: AccessLogPendingTable;
}

export type AccessLogLeafRow = Selectable<AccessLogLeafTable>;
export type AccessLogCheckpointRow = Selectable<AccessLogCheckpointTable>;
