import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../src/config.js';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { auditRepositories, entryHash, GENESIS_HASH } from '../../../src/modules/audit/db/index.js';
import { commitEntry } from '../../../src/modules/audit/db/commitment.js';
import { Frontier } from '../../../src/modules/audit/db/merkle.js';
import { checkpointText, generateSignerKey, parseSignerKey } from '../../../src/modules/audit/db/note.js';
import { FolderWitness } from '../../../src/modules/audit/db/witness.js';
import { migrateAll } from '../../../src/modules/migrate.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from '../../support/databases.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../../support/access-log-key.js';
import { SigningKeyMismatchError, TreeIntegrator } from '../../../src/modules/audit/db/integrator.js';
import type { AuditDatabase } from '../../../src/modules/audit/db/tables.js';
import { accessLogSigner } from '../../../src/modules/audit/keys.js';

const run = promisify(execFile);

/**
 * The operator's commands on a log they cannot see into: `npm run audit:verify` and
 * `audit:export` run as separate processes against the databases (the embedded one on disk).
 */
let env: Record<string, string>;
let config: Config;
let databases: TestDatabases | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  if (TEST_BACKEND === 'embedded') {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-audit-'));
    env = { DATA_DIR: dataDir };
  } else {
    databases = await createTestDatabases();
    // A server has no data folder to keep a generated key in: the tests' key.
    env = { ...databases.env, ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY };
  }
  config = loadConfig(env);
});
afterAll(async () => {
  await databases?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Opens the databases, runs `fn`, and closes them again (PGlite on disk has one owner at a time). */
async function withConnections<T>(fn: (connections: Connections) => Promise<T>): Promise<T> {
  const connections = await openConnections(config);
  try {
    return await fn(connections);
  } finally {
    await connections.close();
  }
}

/**
 * A fresh log of `n` entries, in the tree with a signed checkpoint (what the gateway's integrator
 * does); `chained`: appended through the head row, as before the tree.
 */
async function freshLog(n: number, { chained = false } = {}): Promise<number[]> {
  return withConnections(async (connections) => {
    await sql`drop schema if exists audit cascade`.execute(connections.sources.audit.root);
    await migrateAll(connections);
    const log = auditRepositories(connections.sources.audit.db).accessLog;
    const rows = await log[chained ? 'appendChained' : 'append'](
      Array.from({ length: n }, (_, i) => ({
        requestId: `req-${i}`,
        actorSubject: 'officer-7',
        actorRole: 'officer',
        actorAgency: 'UBND-HC',
        purpose: 'DOSSIER_PROCESSING',
        caseReference: `H17.25-${i}`,
        subjectType: 'CITIZEN',
        subjectId: String(100 + i),
        fields: ['fullName', 'phone'],
        outcome: 'GRANTED' as const,
      })),
    );
    await new TreeIntegrator(accessLogSigner(config.accessLog)).integrate(connections.sources.audit.db as Kysely<AuditDatabase>);
    return rows.map((row) => Number(row.id));
  });
}

const TABLES = ['access_log', 'access_log_head', 'access_log_leaf', 'access_log_node', 'access_log_tree', 'access_log_checkpoint'];

/** Tampers as the tables' owner would, with the append-only triggers off. */
async function tamper(...statements: RawBuilder<unknown>[]): Promise<void> {
  await withConnections(async (connections) => {
    const root = connections.sources.audit.root;
    for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} disable trigger all`.execute(root);
    for (const statement of statements) await statement.execute(root);
    for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} enable trigger all`.execute(root);
  });
}

async function cli(script: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', `src/cli/${script}.ts`, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

describe('npm run audit:verify', () => {
  it('says intact for an untouched log', async () => {
    await freshLog(6);
    const result = await cli('audit-verify');
    expect(result).toEqual({ code: 0, stdout: 'intact: 6 entries verified\n' });
  });

  it('detects a changed field', async () => {
    const ids = await freshLog(6);
    await tamper(sql`update audit.access_log set purpose = 'CURIOSITY' where id = ${ids[3]}`);
    const result = await cli('audit-verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`NOT intact: changed at entry id ${ids[3]}`);
  });

  it('detects a deleted entry', async () => {
    const ids = await freshLog(6);
    await tamper(sql`delete from audit.access_log where id = ${ids[2]}`);
    const result = await cli('audit-verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NOT intact: removed');
  });

  it('detects an inserted entry', async () => {
    const ids = await freshLog(6);
    await tamper(sql`insert into audit.access_log (seq, occurred_at, request_id, actor_subject, actor_role, subject_type, subject_id, fields, outcome, prev_hash, hash)
      select 7, now(), 'forged', 'x', 'admin', 'CITIZEN', '1', '{nationalId}', 'GRANTED', hash, 'deadbeef' from audit.access_log where id = ${ids[5]}`);
    const result = await cli('audit-verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NOT intact: inserted');
  });

  it('detects two entries swapped', async () => {
    const ids = await freshLog(6, { chained: true });
    await tamper(
      sql`update audit.access_log set id = -1 where id = ${ids[2]}`,
      sql`update audit.access_log set id = ${ids[2]} where id = ${ids[3]}`,
      sql`update audit.access_log set id = ${ids[3]} where id = -1`,
    );
    const result = await cli('audit-verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`NOT intact: reordered at entry id ${ids[2]}`);
  });
});

describe('npm run audit:checkpoint and audit:verify -- --checkpoint', () => {
  /**
   * The attack the chain could not see: an entry changed, and everything that covers it
   * recomputed to match, inside the audit database: the chain from that entry on and its head,
   * the leaf hashes, the nodes, the tree's root, and the checkpoints, re-signed with the log's key
   * (on the embedded default it lies in the data folder, beside the database).
   */
  async function rewriteEntriesAndHead(entryId: number, subjectId: string): Promise<void> {
    await withConnections(async (connections) => {
      const db = connections.sources.audit.db as Kysely<AuditDatabase>;
      const repos = auditRepositories(db);
      const rows = await db.selectFrom('access_log').selectAll().orderBy('id').execute();
      const statements: RawBuilder<unknown>[] = [sql`update audit.access_log set subject_id = ${subjectId} where id = ${entryId}`];
      let prev = GENESIS_HASH;
      const rewritten = rows.map((row) => (Number(row.id) === entryId ? { ...row, subject_id: subjectId } : row));
      for (const row of rewritten) {
        const hash = entryHash({ ...row, prev_hash: prev });
        statements.push(sql`update audit.access_log set prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`);
        prev = hash;
      }
      statements.push(sql`update audit.access_log_head set hash = ${prev}`);
      const leaves = await repos.accessLogTree.leavesOf(rows.map((r) => Number(r.id)));
      const frontier = Frontier.empty();
      statements.push(sql`delete from audit.access_log_node`, sql`delete from audit.access_log_checkpoint`);
      for (const leaf of [...leaves.values()].sort((a, b) => a.leafIndex! - b.leafIndex!)) {
        const row = rewritten.find((r) => Number(r.id) === leaf.entryId)!;
        const { leafHash } = commitEntry(row, { salt: leaf.salt!, restrictedSalt: leaf.restrictedSalt! });
        statements.push(sql`update audit.access_log_leaf set leaf_hash = ${leafHash} where leaf_index = ${leaf.leafIndex}`);
        for (const node of frontier.append(leafHash)) statements.push(sql`insert into audit.access_log_node (level, idx, hash) values (${node.level}, ${node.index}, ${node.hash})`);
      }
      const signer = accessLogSigner(config.accessLog);
      statements.push(
        sql`update audit.access_log_tree set root = ${frontier.root()}`,
        sql`insert into audit.access_log_checkpoint (tree_size, root, note, key) values (${frontier.size}, ${frontier.root()}, ${signer.sign(checkpointText(signer.name, frontier.size, frontier.root()))}, 'rewritten')`,
      );
      const root = connections.sources.audit.root;
      for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} disable trigger all`.execute(root);
      for (const statement of statements) await statement.execute(root);
      for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} enable trigger all`.execute(root);
    });
  }

  it('saves a signed checkpoint; a rewrite of entries and head together is caught by it and by the witness, not by the database alone', async () => {
    const ids = await freshLog(6, { chained: true });
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'gateway-checkpoint-')), 'saved.checkpoint');
    const saved = await cli('audit-checkpoint', '--out', file);
    expect(saved).toMatchObject({ code: 0, stdout: expect.stringMatching(/^saved the checkpoint of 6 entries \(root [A-Za-z0-9+/=]{44}\) to /) });
    const note = await readFile(file, 'utf8');
    expect(note.split('\n').slice(0, 2)).toEqual([accessLogSigner(config.accessLog).name, '6']);
    // The gateway sends its checkpoints to the witness; here, the one of 6 entries.
    const witnessDir = path.join(path.dirname(file), 'witness');
    expect(await new FolderWitness(witnessDir).write({ treeSize: 6, note })).toBe('written');

    expect(await cli('audit-verify', '--checkpoint', file, '--witness', witnessDir)).toEqual({ code: 0, stdout: 'intact: 6 entries verified\n' });
    await rewriteEntriesAndHead(ids[2]!, '999');

    // The database agrees with itself: chain, head, leaves, nodes, root and the re-signed checkpoint.
    expect(await cli('audit-verify')).toEqual({ code: 0, stdout: 'intact: 6 entries verified\n' });
    const against = await cli('audit-verify', '--checkpoint', file);
    expect(against.code).toBe(1);
    expect(against.stdout).toContain('NOT intact: contradicted at leaf 5');
    expect(against.stdout).toContain(`${file} says the log of 6 entries has root`);
    const witnessed = await cli('audit-verify', '--witness', witnessDir);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toContain('NOT intact: contradicted');
    expect(witnessed.stdout).toContain('the witness (folder');
    // The witness keeps what it was given: the rewritten checkpoint is refused there.
    const rewritten = await withConnections(async (connections) => (await auditRepositories(connections.sources.audit.db).accessLogTree.latestCheckpoint())!.note);
    expect(await new FolderWitness(witnessDir).write({ treeSize: 6, note: rewritten })).toBe('contradicted');
  });

  it('a checkpoint not signed by the log\'s key proves nothing', async () => {
    await freshLog(3);
    const dir = await mkdtemp(path.join(tmpdir(), 'gateway-checkpoint-'));
    const other = parseSignerKey(generateSignerKey(accessLogSigner(config.accessLog).name));
    const file = path.join(dir, 'forged.checkpoint');
    await writeFile(file, other.sign(checkpointText(other.name, 3, Buffer.alloc(32))));
    const result = await cli('audit-verify', '--checkpoint', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NOT intact: unsigned');
  });
});

describe('npm run audit:verify after a key rotation', () => {
  it('trusts the keys given (--key, repeated: the current one first): checkpoints of the previous key verify with it listed, not without', async () => {
    await freshLog(4);
    const previous = accessLogSigner(config.accessLog);
    const current = parseSignerKey(generateSignerKey(previous.name));
    const previousName = `${previous.name}+${previous.keyId.toString(16).padStart(8, '0')}`;
    await withConnections(async (connections) => {
      const db = connections.sources.audit.db as Kysely<AuditDatabase>;
      await auditRepositories(db).accessLog.append(
        Array.from({ length: 2 }, (_, i) => ({ requestId: `rotated-${i}`, actorSubject: 'officer-8', actorRole: 'officer', actorAgency: 'UBND-HC', purpose: 'DOSSIER_PROCESSING', caseReference: null, subjectType: 'CITIZEN', subjectId: String(200 + i), fields: ['phone'], outcome: 'GRANTED' as const })),
      );
      // The new key does not continue a tree the old key signed unless told the old key is the log's.
      await expect(new TreeIntegrator(current).integrate(db)).rejects.toThrow(SigningKeyMismatchError);
      expect(await new TreeIntegrator(current, { previousKeys: [previousName] }).integrate(db)).toMatchObject({ added: 2, size: 6 });
    });
    const alone = await cli('audit-verify', '--key', current.verifierKey);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toContain('NOT intact: unsigned');
    expect(await cli('audit-verify', '--key', current.verifierKey, '--key', previous.verifierKey)).toEqual({ code: 0, stdout: 'intact: 6 entries verified\n' });
  });
});

describe('npm run audit:export', () => {
  it('writes every entry in a time window as ndjson and as csv', async () => {
    await freshLog(5);
    const ndjson = await cli('audit-export', '--format', 'ndjson', '--from', '2000-01-01T00:00:00Z');
    expect(ndjson.code).toBe(0);
    const lines = ndjson.stdout.trim().split('\n').map((line) => JSON.parse(line) as { request_id: string; hash: string });
    expect(lines.map((l) => l.request_id)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);

    const csv = await cli('audit-export', '--format', 'csv');
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^id,seq,occurred_at,request_id,.*,fields,outcome,found_by,prev_hash,hash$/);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toContain('fullName;phone');

    const empty = await cli('audit-export', '--format', 'ndjson', '--to', '2000-01-01T00:00:00Z');
    expect(empty).toEqual({ code: 0, stdout: '' });
    expect((await cli('audit-export', '--format', 'xml')).code).not.toBe(0);
  });
});
