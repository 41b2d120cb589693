import { sql, type Kysely, type Migration } from 'kysely';
import { commitEntry, type CommittedEntry } from '../commitment.js';
import { EMPTY_ROOT, Frontier } from '../merkle.js';

const BATCH = 1_000;

/**
 * The access log becomes a Merkle tree (issue 15). New tables: leaves (index, entry, leaf hash,
 * salts), the complete nodes above them, the tree's size and root, the signed checkpoints, and
 * the pending entries that the integrator has not yet put in the tree. The chain's columns become
 * optional (entries appended without the head row have none) and the head stays, for the entries
 * chained before.
 *
 * The existing entries, in chain order, become the first leaves: each gets its salts, its leaf
 * hash and its place; the nodes and the root follow. No checkpoint is signed here (the migration
 * holds no key): the integrator signs the tree as it finds it when it first runs.
 */
export const merkleTree: Migration = {
  async up(root: Kysely<unknown>) {
    await sql`alter table audit.access_log alter column seq drop not null, alter column prev_hash drop not null`.execute(root);

    await sql`create table audit.access_log_leaf (
      leaf_index bigint primary key check (leaf_index >= 0),
      entry_id bigint not null unique,
      leaf_hash bytea not null check (length(leaf_hash) = 32),
      salt bytea,
      restricted_salt bytea,
      integrated_at timestamptz not null default now()
    )`.execute(root);
    await sql`create table audit.access_log_node (
      level smallint not null check (level between 1 and 62),
      idx bigint not null check (idx >= 0),
      hash bytea not null check (length(hash) = 32),
      primary key (level, idx)
    )`.execute(root);
    await sql`create table audit.access_log_tree (
      singleton boolean primary key default true check (singleton),
      size bigint not null check (size >= 0),
      root bytea not null check (length(root) = 32),
      updated_at timestamptz not null default now()
    )`.execute(root);
    await sql`create table audit.access_log_checkpoint (
      tree_size bigint primary key check (tree_size >= 0),
      root bytea not null check (length(root) = 32),
      note text not null,
      key text not null,
      signed_at timestamptz not null default now()
    )`.execute(root);
    await sql`create table audit.access_log_pending (
      entry_id bigint primary key,
      leaf_hash bytea not null check (length(leaf_hash) = 32),
      salt bytea not null,
      restricted_salt bytea not null,
      appended_at timestamptz not null default now()
    )`.execute(root);

    // Append-only, as the entries: the tree's history never changes; a leaf's salts may be erased.
    await sql`create function audit.reject_tree_change() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'insufficient_privilege';
      end $$`.execute(root);
    await sql`create function audit.leaf_salts_erasable_only() returns trigger language plpgsql as $$
      begin
        if new.leaf_index is distinct from old.leaf_index or new.entry_id is distinct from old.entry_id
          or new.leaf_hash is distinct from old.leaf_hash or new.integrated_at is distinct from old.integrated_at
          or (new.salt is not null and new.salt is distinct from old.salt)
          or (new.restricted_salt is not null and new.restricted_salt is distinct from old.restricted_salt) then
          raise exception 'access_log_leaf is append-only: only its salts may be erased' using errcode = 'insufficient_privilege';
        end if;
        return new;
      end $$`.execute(root);
    await sql`create trigger access_log_leaf_erase_only before update on audit.access_log_leaf
      for each row execute function audit.leaf_salts_erasable_only()`.execute(root);
    for (const table of ['access_log_leaf', 'access_log_node', 'access_log_checkpoint']) {
      const ops = table === 'access_log_leaf' ? sql.raw('delete') : sql.raw('update or delete');
      await sql`create trigger ${sql.id(`${table}_append_only`)} before ${ops} on ${sql.id('audit', table)}
        for each row execute function audit.reject_tree_change()`.execute(root);
      await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.id('audit', table)}
        for each statement execute function audit.reject_tree_change()`.execute(root);
    }
    await sql`create trigger access_log_tree_kept before delete on audit.access_log_tree
      for each row execute function audit.reject_tree_change()`.execute(root);
    await sql`create trigger access_log_tree_no_truncate before truncate on audit.access_log_tree
      for each statement execute function audit.reject_tree_change()`.execute(root);

    // The chained entries, in chain order, become leaves 0, 1, 2…
    const frontier = Frontier.empty();
    let afterSeq = 0;
    for (;;) {
      const { rows } = await sql<CommittedEntry & { id: number | string; seq: number | string }>`
        select * from audit.access_log where seq > ${afterSeq} order by seq, id limit ${BATCH}`.execute(root);
      if (rows.length === 0) break;
      const leaves: unknown[] = [];
      const nodes: unknown[] = [];
      for (const row of rows) {
        const { salt, restrictedSalt, leafHash } = commitEntry(row);
        leaves.push(sql`(${frontier.size}, ${Number(row.id)}, ${leafHash}, ${salt}, ${restrictedSalt})`);
        for (const node of frontier.append(leafHash)) nodes.push(sql`(${node.level}, ${node.index}, ${node.hash})`);
      }
      await sql`insert into audit.access_log_leaf (leaf_index, entry_id, leaf_hash, salt, restricted_salt) values ${sql.join(leaves)}`.execute(root);
      if (nodes.length > 0) await sql`insert into audit.access_log_node (level, idx, hash) values ${sql.join(nodes)}`.execute(root);
      afterSeq = Number(rows[rows.length - 1]!.seq);
    }
    await sql`insert into audit.access_log_tree (size, root) values (${frontier.size}, ${frontier.size === 0 ? EMPTY_ROOT : frontier.root()})`.execute(root);
  },
};
