import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditRepositories, entryHash, GENESIS_HASH, type AccessLogEntry, type AuditRepositories } from '../../../src/modules/audit/db/index.js';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { migrateAll } from '../../../src/modules/migrate.js';
import { createTestDatabases, type TestDatabases } from '../../support/databases.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

// Nothing seeds the audit log: migrated, empty databases are enough.
let databases: TestDatabases;
let connections: Connections;
let repos: AuditRepositories;
let root: Kysely<unknown>;

beforeAll(async () => {
  databases = await createTestDatabases();
  connections = await openConnections(databases.config);
  await migrateAll(connections);
  repos = auditRepositories(connections.sources.audit.db);
  root = connections.sources.audit.root;
});
afterAll(async () => {
  await connections?.close();
  await databases?.drop();
});

const TABLES = ['access_log', 'access_log_leaf', 'access_log_node', 'access_log_checkpoint', 'access_log_pending'];

/** Runs SQL as the table owner with the append-only triggers off: how an intruder would tamper. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} disable trigger all`.execute(root);
  try {
    await statement.execute(root);
  } finally {
    for (const table of TABLES) await sql`alter table ${sql.id('audit', table)} enable trigger all`.execute(root);
  }
}

/** Empties the log between tests (only possible with the triggers off), its tree included. */
beforeEach(async () => {
  for (const table of TABLES) await tamper(sql`delete from ${sql.id('audit', table)}`);
  await sql`update audit.access_log_head set seq = 0, hash = ${GENESIS_HASH}`.execute(root);
  await sql`update audit.access_log_tree set size = 0, root = sha256(''::bytea)`.execute(root);
});

function entry(i: number, overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    occurredAt: new Date(Date.UTC(2024, 9, 31, 3, 0, i)),
    requestId: `req-${i}`,
    actorSubject: i % 2 ? 'officer:stp-01' : 'admin:ioc-01',
    actorRole: i % 2 ? 'officer' : 'admin',
    actorAgency: i % 2 ? 'STP' : null,
    clientApp: 'one-stop-desk',
    operationName: 'CitizenProfile',
    documentHash: 'a'.repeat(64),
    purpose: i % 3 ? 'DOSSIER_PROCESSING' : null,
    caseReference: i % 3 ? `HS-2024-${i}` : null,
    subjectType: 'CITIZEN',
    subjectId: `0482030000${String(i % 5).padStart(2, '0')}`,
    fields: ['nationalId', 'birthDate'],
    outcome: i % 4 === 0 ? 'DENIED' : 'GRANTED',
    ...overrides,
  };
}

/** The chain's tests append as before issue 15, through the head row (appendChained). */
async function appendMany(n: number): Promise<number[]> {
  const rows = await repos.accessLog.appendChained(Array.from({ length: n }, (_, i) => entry(i + 1)));
  return rows.map((r) => r.id);
}

describe('audit access log', () => {
  it('appends a chained batch and verifies it intact', async () => {
    expect(await repos.accessLog.verify()).toEqual({ intact: true, checked: 0 });
    const rows = await repos.accessLog.appendChained([entry(1), entry(2), entry(3)]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.hash).toBe(entryHash(rows[2]!));
    expect(rows[0]!.fields).toEqual(['nationalId', 'birthDate']);
    await repos.accessLog.appendChained([entry(4)]);
    // Small batches make the walk cross batch boundaries.
    expect(await repos.accessLog.verify(2)).toEqual({ intact: true, checked: 4 });
  });

  it('keeps one intact chain under 20 concurrent appends', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => repos.accessLog.appendChained([entry(i * 3 + 1), entry(i * 3 + 2), entry(i * 3 + 3)].slice(0, (i % 3) + 1))));
    const total = Array.from({ length: 20 }, (_, i) => (i % 3) + 1).reduce((a, b) => a + b, 0);
    const { rows } = await sql<{ id: number; seq: number }>`select id, seq from audit.access_log order by id`.execute(root);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(await repos.accessLog.verify(7)).toEqual({ intact: true, checked: total });
  });

  it('rejects UPDATE, DELETE and TRUNCATE', async () => {
    await appendMany(2);
    await expect(sql`update audit.access_log set purpose = 'x'`.execute(root)).rejects.toThrow(/access_log is append-only/);
    await expect(sql`delete from audit.access_log`.execute(root)).rejects.toThrow(/access_log is append-only/);
    await expect(sql`truncate audit.access_log`.execute(root)).rejects.toThrow(/access_log is append-only/);
    await expect(sql`delete from audit.access_log_head`.execute(root)).rejects.toThrow(/cannot be removed/);
    await expect(sql`delete from audit.access_log_tree`.execute(root)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit.access_log_leaf`.execute(root)).rejects.toThrow(/append-only/);
    expect(await repos.accessLog.count({})).toBe(2);
  });

  it('lists entries newest first with filters, and pages through them', async () => {
    await appendMany(12);
    const all = await repos.accessLog.list({}, cursors.page({ first: 5 }));
    expect(all.edges.map((e) => e.node.seq)).toEqual([12, 11, 10, 9, 8]);
    const next = await repos.accessLog.list({}, cursors.page({ first: 5, after: all.edges.at(-1)!.cursor }));
    expect(next.edges.map((e) => e.node.seq)).toEqual([7, 6, 5, 4, 3]);

    const denied = await repos.accessLog.list({ outcome: 'DENIED' }, cursors.page({ first: 20 }));
    expect(denied.edges.map((e) => e.node.seq)).toEqual([12, 8, 4]);
    expect(await repos.accessLog.count({ subjectType: 'CITIZEN', subjectId: '048203000001' })).toBe(3);
    expect(await repos.accessLog.count({ actor: 'officer:stp-01', agency: 'STP' })).toBe(6);
    expect(await repos.accessLog.count({ purpose: 'DOSSIER_PROCESSING' })).toBe(8);
    const window = { from: new Date(Date.UTC(2024, 9, 31, 3, 0, 3)), to: new Date(Date.UTC(2024, 9, 31, 3, 0, 6)) };
    expect((await repos.accessLog.list(window, cursors.page({ first: 10 }))).edges.map((e) => e.node.seq)).toEqual([5, 4, 3]);
    expect((await repos.accessLog.findByIds([all.edges[0]!.node.id])).map((r) => r.seq)).toEqual([12]);
  });

  it('detects a changed entry', async () => {
    const ids = await appendMany(6);
    await tamper(sql`update audit.access_log set purpose = 'CURIOSITY' where id = ${ids[3]}`);
    expect(await repos.accessLog.verify()).toEqual({ intact: false, checked: 3, firstBadId: ids[3], problem: 'CHANGED' });
  });

  it('detects a changed entry whose hash was recomputed', async () => {
    const ids = await appendMany(6);
    const [row] = await repos.accessLog.findByIds([ids[2]!]);
    const forged = { ...row!, subject_id: '048203999999' };
    await tamper(sql`update audit.access_log set subject_id = ${forged.subject_id}, hash = ${entryHash(forged)} where id = ${ids[2]}`);
    expect(await repos.accessLog.verify()).toMatchObject({ intact: false, firstBadId: ids[2], problem: 'CHANGED' });
  });

  it('detects a removed entry, in the middle and at the end', async () => {
    const ids = await appendMany(6);
    await tamper(sql`delete from audit.access_log where id = ${ids[2]}`);
    expect(await repos.accessLog.verify()).toEqual({ intact: false, checked: 2, firstBadId: ids[3], problem: 'REMOVED' });

    await tamper(sql`delete from audit.access_log where id >= ${ids[2]}`);
    expect(await repos.accessLog.verify()).toEqual({ intact: false, checked: 2, problem: 'REMOVED' });
  });

  it('detects an inserted entry', async () => {
    const ids = await appendMany(4);
    const [last] = await repos.accessLog.findByIds([ids[3]!]);
    // A well-formed entry chained after the last one, but written around the repository.
    const forged = { ...last!, seq: 5, request_id: 'forged', prev_hash: last!.hash };
    await tamper(sql`insert into audit.access_log (seq, occurred_at, request_id, actor_subject, actor_role, subject_type, subject_id, fields, outcome, prev_hash, hash)
      values (5, ${forged.occurred_at}, 'forged', ${forged.actor_subject}, ${forged.actor_role}, ${forged.subject_type}, ${forged.subject_id},
        ${forged.fields}, ${forged.outcome}, ${forged.prev_hash}, ${entryHash({ ...forged, actor_agency: null, client_app: null, operation_name: null, document_hash: null, purpose: null, case_reference: null })})`);
    const result = await repos.accessLog.verify();
    expect(result).toMatchObject({ intact: false, checked: 4, problem: 'INSERTED' });
    expect(result.firstBadId).toBeGreaterThan(ids[3]!);

    // A crude forgery (no valid hash) past the head. A copy with a seq already taken cannot even
    // be stored: seq is unique.
    await tamper(sql`delete from audit.access_log where request_id = 'forged'`);
    await expect(
      tamper(sql`insert into audit.access_log (seq, occurred_at, request_id, actor_subject, actor_role, subject_type, subject_id, fields, outcome, prev_hash, hash)
        select seq, occurred_at, 'copy', actor_subject, actor_role, subject_type, subject_id, fields, outcome, prev_hash, hash from audit.access_log where id = ${ids[1]}`),
    ).rejects.toThrow(/unique|duplicate/);
    await tamper(sql`insert into audit.access_log (seq, occurred_at, request_id, actor_subject, actor_role, subject_type, subject_id, fields, outcome, prev_hash, hash)
      values (5, now(), 'forged', 'x', 'admin', 'CITIZEN', '048203000001', '{nationalId}', 'GRANTED', ${last!.hash}, 'deadbeef')`);
    expect(await repos.accessLog.verify()).toMatchObject({ intact: false, checked: 4, problem: 'INSERTED' });
  });

  it('detects reordered entries', async () => {
    const ids = await appendMany(6);
    // Swap the places (ids) of the 3rd and 4th entries; their contents and hashes stay intact.
    await tamper(sql`update audit.access_log set id = -1 where id = ${ids[2]}`);
    await tamper(sql`update audit.access_log set id = ${ids[2]} where id = ${ids[3]}`);
    await tamper(sql`update audit.access_log set id = ${ids[3]} where id = -1`);
    expect(await repos.accessLog.verify()).toEqual({ intact: false, checked: 2, firstBadId: ids[2], problem: 'REORDERED' });
  });
});
