import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditRepositories, entryHash, GENESIS_HASH, type AccessLogEntry, type AuditRepositories } from '../../../src/modules/audit/db/index.js';
import { SigningKeyMismatchError, TreeIntegrator } from '../../../src/modules/audit/db/integrator.js';
import { migrations } from '../../../src/modules/audit/db/migrations/index.js';
import { commitEntry } from '../../../src/modules/audit/db/commitment.js';
import { Frontier } from '../../../src/modules/audit/db/merkle.js';
import { checkpointText, generateSignerKey, parseSignerKey } from '../../../src/modules/audit/db/note.js';
import type { AuditDatabase } from '../../../src/modules/audit/db/tables.js';
import { verifyTree } from '../../../src/modules/audit/db/tree-verify.js';
import { toBase64, verifyCheckpoint, verifyConsistency, verifyInclusion } from '../../../src/clients/client.js';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { migrateAll } from '../../../src/modules/migrate.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from '../../support/databases.js';

/**
 * The Merkle tree of the access log on a real database: appends with no head row, the
 * integrator's batches, proofs served from the stored nodes and verified by the client, the
 * migration of chained entries, and what a verification finds after tampering.
 */
let databases: TestDatabases;
let connections: Connections;
let repos: AuditRepositories;
let root: Kysely<unknown>;
let db: Kysely<AuditDatabase>;
const signer = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
let integrator: TreeIntegrator;

beforeAll(async () => {
  databases = await createTestDatabases();
  connections = await openConnections(databases.config);
  await migrateAll(connections);
  db = connections.sources.audit.db as Kysely<AuditDatabase>;
  repos = auditRepositories(db);
  root = connections.sources.audit.root;
});
afterAll(async () => {
  await connections?.close();
  await databases?.drop();
});

const TABLES = ['access_log', 'access_log_leaf', 'access_log_node', 'access_log_checkpoint', 'access_log_pending', 'access_log_tree'];

/** As the tables' owner with the append-only triggers off: how an intruder would tamper. */
async function tamper(...statements: ReturnType<typeof sql>[]): Promise<void> {
  for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} disable trigger all`.execute(root);
  try {
    for (const statement of statements) await statement.execute(root);
  } finally {
    for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} enable trigger all`.execute(root);
  }
}

beforeEach(async () => {
  await tamper(...TABLES.filter((t) => t !== 'access_log_tree').map((t) => sql`delete from ${sql.id('audit', t)}`), sql`update audit.access_log_tree set size = 0, root = sha256(''::bytea)`);
  await sql`update audit.access_log_head set seq = 0, hash = ${GENESIS_HASH}`.execute(root);
  integrator = new TreeIntegrator(signer, { maxBatch: 7 });
});

function entry(i: number): AccessLogEntry {
  return {
    requestId: `req-${i}`,
    actorSubject: `officer:stp-${i % 3}`,
    actorRole: 'officer',
    actorAgency: 'STP',
    purpose: 'DOSSIER_PROCESSING',
    caseReference: `H17.25-${i}`,
    subjectType: 'CITIZEN',
    subjectId: String(100 + (i % 4)),
    fields: ['birthDate', 'fullName'],
    outcome: 'GRANTED',
  };
}

/** Integrates until nothing is pending; returns the checkpoints signed. */
async function integrateAll(): Promise<number[]> {
  const sizes: number[] = [];
  for (;;) {
    const result = await integrator.integrate(db);
    if (result.checkpoint) sizes.push(result.checkpoint.treeSize);
    if (!result.more && result.added === 0) return sizes;
  }
}

const verify = (external?: Array<{ source: string; note: string }>) => verifyTree(db, { key: signer, external });

describe('the access log as a Merkle tree', () => {
  it('appends without the head row; the integrator makes leaves, nodes and a signed checkpoint per batch', async () => {
    const rows = await repos.accessLog.append([entry(1), entry(2), entry(3)]);
    expect(rows.every((row) => row.seq === null && /^[0-9a-f]{64}$/.test(row.hash))).toBe(true);
    const { rows: head } = await sql<{ seq: number }>`select seq from audit.access_log_head`.execute(root);
    expect(Number(head[0]!.seq)).toBe(0);
    expect((await repos.accessLogTree.pending()).count).toBe(3);
    // The first batch also signs the empty tree's successor; a run with nothing new signs nothing.
    expect(await integrateAll()).toEqual([3]);
    expect(await integrateAll()).toEqual([]);
    expect((await repos.accessLogTree.pending()).count).toBe(0);
    const latest = (await repos.accessLogTree.latestCheckpoint())!;
    const checkpoint = await verifyCheckpoint(latest.note, signer.verifierKey);
    expect(checkpoint).toMatchObject({ origin: signer.name, treeSize: 3 });
    const leaves = await repos.accessLogTree.leavesOf(rows.map((r) => r.id));
    expect([...leaves.values()].map((l) => l.leafIndex).sort()).toEqual([0, 1, 2]);
    expect(await verify()).toMatchObject({ intact: true, treeSize: 3, checked: 3, checkpoints: 1, pending: 0 });
  });

  it('under 20 concurrent appenders: every entry integrated exactly once, every proof verifies, successive checkpoints are consistent', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => repos.accessLog.append(Array.from({ length: (i % 3) + 1 }, (_, j) => entry(i * 3 + j)))));
    const total = Array.from({ length: 20 }, (_, i) => (i % 3) + 1).reduce((a, b) => a + b, 0);
    const sizes = await integrateAll();
    expect(sizes.at(-1)).toBe(total);
    const { rows } = await sql<{ n: number; distinct: number; max: number }>`select count(*)::int as n, count(distinct entry_id)::int as distinct, max(leaf_index)::int as max from audit.access_log_leaf`.execute(root);
    expect(rows[0]).toEqual({ n: total, distinct: total, max: total - 1 });

    const latest = (await repos.accessLogTree.latestCheckpoint())!;
    const { rootHash } = await verifyCheckpoint(latest.note, signer.verifierKey);
    const ids = (await sql<{ id: number }>`select id from audit.access_log order by id`.execute(root)).rows.map((r) => Number(r.id));
    const leaves = await repos.accessLogTree.leavesOf(ids);
    const proofs = await repos.accessLogTree.inclusionProofs([...leaves.values()].map((l) => l.leafIndex!), latest.treeSize);
    for (const leaf of leaves.values()) {
      expect(await verifyInclusion({ leafHash: leaf.leafHash, leafIndex: leaf.leafIndex!, treeSize: latest.treeSize, hashes: proofs.get(leaf.leafIndex!)!, rootHash })).toBe(true);
    }
    const checkpoints = [];
    for await (const c of repos.accessLogTree.checkpoints()) checkpoints.push(c);
    expect(checkpoints.length).toBeGreaterThan(2);
    for (let i = 1; i < checkpoints.length; i += 1) {
      const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
      const hashes = await repos.accessLogTree.consistencyProof(a.treeSize, b.treeSize);
      expect(await verifyConsistency({ fromSize: a.treeSize, toSize: b.treeSize, fromRoot: a.root, toRoot: b.root, hashes })).toBe(true);
    }
    expect(await verify()).toMatchObject({ intact: true, treeSize: total, checked: total });
  });

  it('an integrator with another key than the log’s refuses to sign', async () => {
    await repos.accessLog.append([entry(1)]);
    await integrateAll();
    await repos.accessLog.append([entry(2)]);
    const stranger = new TreeIntegrator(parseSignerKey(generateSignerKey('city-data-gateway.test/access-log')));
    await expect(stranger.integrate(db)).rejects.toThrow(SigningKeyMismatchError);
    expect((await repos.accessLogTree.pending()).count).toBe(1);
    expect(await integrateAll()).toEqual([2]);
  });

  it('erasing the salts keeps the tree verifiable; leaves and nodes are append-only', async () => {
    const rows = await repos.accessLog.append([entry(1), entry(2), entry(3), entry(4)]);
    await integrateAll();
    await sql`update audit.access_log_leaf set salt = null, restricted_salt = null where entry_id = ${rows[1]!.id}`.execute(root);
    expect(await verify()).toMatchObject({ intact: true, checked: 3, erased: 1 });
    await expect(sql`update audit.access_log_leaf set leaf_hash = leaf_hash where entry_id = ${rows[2]!.id}`.execute(root)).resolves.toBeDefined();
    await expect(sql`update audit.access_log_leaf set leaf_index = 9 where entry_id = ${rows[2]!.id}`.execute(root)).rejects.toThrow(/only its salts may be erased/);
    await expect(sql`update audit.access_log_leaf set salt = '\\x00' where entry_id = ${rows[2]!.id}`.execute(root)).rejects.toThrow(/only its salts/);
    await expect(sql`delete from audit.access_log_leaf`.execute(root)).rejects.toThrow(/append-only/);
    await expect(sql`update audit.access_log_node set hash = hash`.execute(root)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit.access_log_checkpoint`.execute(root)).rejects.toThrow(/append-only/);
  });

  it('detects a changed entry, a changed leaf, a removed leaf, an unsequenced entry and an unsigned tree', async () => {
    const rows = await repos.accessLog.append(Array.from({ length: 9 }, (_, i) => entry(i)));
    await integrateAll();
    const target = rows[4]!.id;
    await tamper(sql`update audit.access_log set purpose = 'CURIOSITY' where id = ${target}`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'CHANGED', firstBadId: target });

    // The leaf hash rewritten to match: the signed checkpoints (and stored nodes) above it no longer do.
    const [changed] = await repos.accessLog.findByIds([target]);
    const leaf = (await repos.accessLogTree.leavesOf([target])).get(target)!;
    const forged = commitEntry(changed!, { salt: leaf.salt!, restrictedSalt: leaf.restrictedSalt! });
    await tamper(sql`update audit.access_log_leaf set leaf_hash = ${forged.leafHash} where entry_id = ${target}`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'CHANGED', detail: expect.stringMatching(/^the checkpoint of 7 entries has root/) });

    await tamper(sql`update audit.access_log set purpose = ${'DOSSIER_PROCESSING'} where id = ${target}`, sql`update audit.access_log_leaf set leaf_hash = ${leaf.leafHash} where entry_id = ${target}`);
    expect(await verify()).toMatchObject({ intact: true });
    // How the person was found is committed too (v3): a found-by list rewritten, or erased to look like a v2 entry, is a change.
    await tamper(sql`update audit.access_log set found_by = array['nationalId'] where id = ${target}`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'CHANGED', firstBadId: target });
    await tamper(sql`update audit.access_log set found_by = null where id = ${target}`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'CHANGED', firstBadId: target });
    await tamper(sql`update audit.access_log set found_by = ${sql.raw(`'{}'::text[]`)} where id = ${target}`);
    expect(await verify()).toMatchObject({ intact: true });

    await tamper(sql`delete from audit.access_log_leaf where leaf_index = 6`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'REMOVED', firstBadLeaf: 6 });
    // A pending entry changed before the integrator took it: its leaf hash, fixed at the append, no longer matches.
    await tamper(sql`delete from audit.access_log_pending`, sql`delete from audit.access_log`, sql`delete from audit.access_log_leaf`, sql`delete from audit.access_log_node`, sql`delete from audit.access_log_checkpoint`, sql`update audit.access_log_tree set size = 0, root = sha256(''::bytea)`);
    integrator.reset();
    await integrateAll();
    const [waiting] = await repos.accessLog.append([entry(50)]);
    await tamper(sql`update audit.access_log set outcome = 'DENIED' where id = ${waiting!.id}`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'CHANGED', firstBadId: waiting!.id, detail: expect.stringContaining('pending') });

    await tamper(sql`delete from audit.access_log_pending`, sql`delete from audit.access_log`);
    await repos.accessLog.append([entry(1), entry(2)]);
    integrator.reset();
    await integrateAll();
    await tamper(sql`insert into audit.access_log (occurred_at, request_id, actor_subject, actor_role, subject_type, subject_id, fields, outcome, hash)
      values (now(), 'forged', 'x', 'admin', 'CITIZEN', '1', '{nationalId}', 'GRANTED', 'deadbeef')`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'INSERTED' });
    await tamper(sql`delete from audit.access_log where request_id = 'forged'`, sql`delete from audit.access_log_checkpoint`);
    expect(await verify()).toMatchObject({ intact: false, problem: 'UNSIGNED' });
  });

  it('a rewrite of entries, tree and checkpoints together, re-signed with the key, is caught by a checkpoint kept outside', async () => {
    const rows = await repos.accessLog.append(Array.from({ length: 6 }, (_, i) => entry(i)));
    await integrateAll();
    const saved = (await repos.accessLogTree.latestCheckpoint())!;
    // The intruder: a changed entry, every leaf, node, root and checkpoint recomputed and signed.
    await tamper(sql`update audit.access_log set subject_id = '999' where id = ${rows[2]!.id}`);
    const all = await repos.accessLog.findByIds(rows.map((r) => r.id));
    const leaves = await repos.accessLogTree.leavesOf(rows.map((r) => r.id));
    const frontier = Frontier.empty();
    const statements = [sql`delete from audit.access_log_node`, sql`delete from audit.access_log_checkpoint`];
    for (const leaf of [...leaves.values()].sort((a, b) => a.leafIndex! - b.leafIndex!)) {
      const row = all.find((r) => r.id === leaf.entryId)!;
      const { leafHash } = commitEntry(row, { salt: leaf.salt!, restrictedSalt: leaf.restrictedSalt! });
      statements.push(sql`update audit.access_log_leaf set leaf_hash = ${leafHash} where leaf_index = ${leaf.leafIndex}`);
      for (const node of frontier.append(leafHash)) statements.push(sql`insert into audit.access_log_node (level, idx, hash) values (${node.level}, ${node.index}, ${node.hash})`);
    }
    const forgedRoot = frontier.root();
    statements.push(
      sql`update audit.access_log_tree set root = ${forgedRoot}`,
      sql`insert into audit.access_log_checkpoint (tree_size, root, note, key) values (${frontier.size}, ${forgedRoot}, ${signer.sign(checkpointText(signer.name, frontier.size, forgedRoot))}, 'forged')`,
    );
    await tamper(...statements);
    // Inside the database, everything agrees (the intruder had the key) ...
    expect(await verify()).toMatchObject({ intact: true, treeSize: 6 });
    // ... but not with the checkpoint saved before.
    const result = await verify([{ source: 'saved.checkpoint', note: saved.note }]);
    expect(result).toMatchObject({ intact: false, problem: 'CONTRADICTED', detail: expect.stringContaining(`saved.checkpoint says the log of 6 entries has root ${toBase64(saved.root)}`) });
  });
});

describe('migration 0003 of a chained log', () => {
  it('the chained entries become the first leaves, in chain order; the chain still verifies', async () => {
    const fresh = await createTestDatabases();
    const conns = await openConnections(fresh.config);
    try {
      const audit = conns.sources.audit.root;
      await sql`create schema if not exists audit`.execute(audit);
      const migrator = new Migrator({ db: audit, provider: { getMigrations: async () => migrations }, migrationTableSchema: 'audit' });
      expect((await migrator.migrateTo('0002_found_by')).error).toBeUndefined();
      // Entries chained as before issue 15 (ids in chain order, as the head row made them).
      let prev = GENESIS_HASH;
      const chained = [];
      for (let seq = 1; seq <= 11; seq += 1) {
        const e = entry(seq);
        const row = {
          seq, occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)), request_id: e.requestId, actor_subject: e.actorSubject, actor_role: e.actorRole, actor_agency: e.actorAgency ?? null,
          client_app: null, operation_name: null, document_hash: null, purpose: e.purpose ?? null, case_reference: e.caseReference ?? null, subject_type: e.subjectType, subject_id: e.subjectId, fields: [...e.fields], outcome: e.outcome, found_by: null, prev_hash: prev,
        };
        prev = entryHash(row);
        chained.push({ ...row, hash: prev, id: 10 + seq });
      }
      for (const row of chained) {
        await sql`insert into audit.access_log (id, seq, occurred_at, request_id, actor_subject, actor_role, actor_agency, purpose, case_reference, subject_type, subject_id, fields, outcome, prev_hash, hash)
          values (${row.id}, ${row.seq}, ${row.occurred_at}, ${row.request_id}, ${row.actor_subject}, ${row.actor_role}, ${row.actor_agency}, ${row.purpose}, ${row.case_reference}, ${row.subject_type}, ${row.subject_id}, ${row.fields}, ${row.outcome}, ${row.prev_hash}, ${row.hash})`.execute(audit);
      }
      await sql`update audit.access_log_head set seq = 11, hash = ${prev}`.execute(audit);
      await migrateAll(conns);

      const mdb = conns.sources.audit.db as Kysely<AuditDatabase>;
      const mrepos = auditRepositories(mdb);
      const { rows } = await sql<{ leaf_index: number; entry_id: number }>`select leaf_index, entry_id from audit.access_log_leaf order by leaf_index`.execute(audit);
      expect(rows.map((r) => [Number(r.leaf_index), Number(r.entry_id)])).toEqual(chained.map((row, i) => [i, row.id]));
      expect((await mrepos.accessLogTree.state()).size).toBe(11);
      expect(await mrepos.accessLog.verify()).toEqual({ intact: true, checked: 11 });
      // No key in the migration: the integrator's first run signs the migrated tree.
      expect(await verifyTree(mdb, { key: signer })).toMatchObject({ intact: false, problem: 'UNSIGNED' });
      const first = await new TreeIntegrator(signer).integrate(mdb);
      expect(first).toMatchObject({ added: 0, size: 11, checkpoint: { treeSize: 11 } });
      expect(await verifyTree(mdb, { key: signer })).toMatchObject({ intact: true, checked: 11, checkpoints: 1 });
      // New entries follow the migrated ones in the tree.
      await mrepos.accessLog.append([entry(12)]);
      expect(await new TreeIntegrator(signer).integrate(mdb)).toMatchObject({ added: 1, size: 12 });
      expect(await verifyTree(mdb, { key: signer })).toMatchObject({ intact: true, checked: 12 });
    } finally {
      await conns.close();
      await fresh.drop();
    }
  });
});

it.skipIf(TEST_BACKEND !== 'postgres')('two integrators racing never fork the tree nor integrate an entry twice (PostgreSQL)', async () => {
  const other = await openConnections(databases.config);
  try {
    const otherDb = other.sources.audit.db as Kysely<AuditDatabase>;
    const a = new TreeIntegrator(signer, { maxBatch: 5 });
    const b = new TreeIntegrator(signer, { maxBatch: 5 });
    const writers = Promise.all(Array.from({ length: 10 }, (_, i) => repos.accessLog.append([entry(i), entry(i + 100)])));
    const race = async (integ: TreeIntegrator, on: Kysely<AuditDatabase>) => {
      for (let i = 0; i < 30; i += 1) await integ.integrate(on).catch(() => integ.reset());
    };
    await Promise.all([writers, race(a, db), race(b, otherDb)]);
    await integrateAll();
    expect(await verify()).toMatchObject({ intact: true, treeSize: 20, checked: 20, pending: 0 });
  } finally {
    await other.close();
  }
});
