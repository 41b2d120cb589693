import { createQueryId, sql, type Kysely, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepositories, type AccessLogEntry } from '../../../src/modules/audit/db/index.js';
import { COMMITMENT_SALTS_BYTES, commitEntries, commitEntry, SALT_BYTES, type CommittedEntry } from '../../../src/modules/audit/db/commitment.js';
import type { AuditDatabase } from '../../../src/modules/audit/db/tables.js';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { migrateAll } from '../../../src/modules/migrate.js';
import { createTestDatabases, type TestDatabases } from '../../support/databases.js';

/**
 * The access log's batched append (issue 14): commitEntries gives every entry the leaf commitEntry
 * gives it under the same salts, and the append is one statement whose text and parameter count
 * do not depend on how many entries it stores.
 */
const base: CommittedEntry = {
  occurred_at: new Date('2026-11-02T03:04:05.678Z'),
  request_id: 'req-1',
  actor_subject: 'officer:stp-01',
  actor_role: 'officer',
  actor_agency: 'STP',
  client_app: 'one-stop-desk',
  operation_name: 'CitizenProfile',
  document_hash: 'a'.repeat(64),
  purpose: 'DOSSIER_PROCESSING',
  case_reference: 'H17.25-1',
  subject_type: 'CITIZEN',
  subject_id: '42',
  fields: ['birthDate', 'nationalId'],
  outcome: 'GRANTED',
  found_by: [],
};

/** Entries of three requests, with nulls, no fields, many fields, found-by lists, v2 entries (no list) and non-ASCII text. */
function sample(): CommittedEntry[] {
  return [
    base,
    { ...base, subject_id: '43', fields: [], outcome: 'DENIED' },
    { ...base, subject_id: '45', found_by: ['fullName', 'nationalId'] },
    { ...base, subject_id: '46', found_by: null },
    { ...base, subject_id: '47', found_by: ['fullName'] },
    { ...base, subject_id: '48', outcome: 'FOUND_BY', fields: ['fullName'], found_by: null },
    { ...base, request_id: 'req-2', actor_agency: null, client_app: null, operation_name: null, document_hash: null, purpose: null, case_reference: null, subject_id: '44' },
    { ...base, request_id: 'req-2', subject_type: 'CRITERION', subject_id: 'fullName:' + 'b'.repeat(64), fields: ['fullName', 'ward'], outcome: 'FOUND_BY' },
    { ...base, request_id: 'req-3', operation_name: 'Hồ sơ "Đà Nẵng" \\ ,{}', fields: Array.from({ length: 40 }, (_, i) => `field${i}`) },
    { ...base, request_id: 'req-3', subject_id: 'Nguyễn Văn Quảng'.repeat(200) },
  ];
}

describe('commitEntries', () => {
  it('gives each entry the salts and leaf commitEntry gives it under the same salts', () => {
    const entries = sample();
    const random = randomBytes(entries.length * COMMITMENT_SALTS_BYTES);
    const { salts, leafHashes } = commitEntries(entries, random);
    expect(salts.equals(random)).toBe(true);
    entries.forEach((entry, i) => {
      const salt = random.subarray(i * COMMITMENT_SALTS_BYTES, i * COMMITMENT_SALTS_BYTES + SALT_BYTES);
      const restrictedSalt = random.subarray(i * COMMITMENT_SALTS_BYTES + SALT_BYTES, (i + 1) * COMMITMENT_SALTS_BYTES);
      const one = commitEntry(entry, { salt, restrictedSalt });
      expect(leafHashes.subarray(i * 32, i * 32 + 32).toString('hex')).toBe(one.leafHash.toString('hex'));
    });
  });

  it('writes the canonical form as JSON.stringify does, also for text it escapes: control characters, lone surrogates', () => {
    const odd = ['line\nbreak\ttab\u0001', 'lone \ud800 high', 'lone \udc00 low', 'pair 😀 and \u2028\u2029', 'quote " backslash \\', ''];
    const entries: CommittedEntry[] = odd.flatMap((text, i) => [
      { ...base, request_id: `odd-${i}`, actor_role: text, subject_id: text, fields: [text, 'fullName'], outcome: text },
      { ...base, request_id: `odd-${i}`, actor_agency: text, purpose: text, subject_type: text, fields: [text], found_by: [text, 'ward'] },
    ]);
    const random = randomBytes(entries.length * COMMITMENT_SALTS_BYTES);
    const { leafHashes } = commitEntries(entries, random);
    entries.forEach((entry, i) => {
      const salt = random.subarray(i * COMMITMENT_SALTS_BYTES, i * COMMITMENT_SALTS_BYTES + SALT_BYTES);
      const restrictedSalt = random.subarray(i * COMMITMENT_SALTS_BYTES + SALT_BYTES, (i + 1) * COMMITMENT_SALTS_BYTES);
      expect(leafHashes.subarray(i * 32, i * 32 + 32).toString('hex'), JSON.stringify(entry)).toBe(commitEntry(entry, { salt, restrictedSalt }).leafHash.toString('hex'));
    });
  });

  it('draws fresh salts: two batches of the same entries share no salt and no leaf', () => {
    const entries = sample();
    const a = commitEntries(entries);
    const b = commitEntries(entries);
    expect(a.salts.length).toBe(entries.length * COMMITMENT_SALTS_BYTES);
    const slices = (buffer: Buffer, size: number) => Array.from({ length: buffer.length / size }, (_, i) => buffer.subarray(i * size, (i + 1) * size).toString('hex'));
    expect(new Set([...slices(a.salts, SALT_BYTES), ...slices(b.salts, SALT_BYTES)]).size).toBe(4 * entries.length);
    expect(new Set([...slices(a.leafHashes, 32), ...slices(b.leafHashes, 32)]).size).toBe(2 * entries.length);
  });
});

describe('AccessLogRepository.append', () => {
  let databases: TestDatabases;
  let connections: Connections;
  let db: Kysely<AuditDatabase>;
  /** Statements compiled (the append compiles its one shape once per repository, then sends it again). */
  const statements: Array<{ sql: string; parameters: number }> = [];
  /** Statements sent. */
  let sent = 0;

  beforeAll(async () => {
    databases = await createTestDatabases();
    connections = await openConnections(databases.config);
    await migrateAll(connections);
    const plain = connections.sources.audit.db as Kysely<AuditDatabase>;
    // Notes each statement's compiled text and parameter count.
    const capture: KyselyPlugin = {
      transformQuery({ node }) {
        const compiled = plain.getExecutor().compileQuery(node as RootOperationNode, createQueryId());
        statements.push({ sql: compiled.sql, parameters: compiled.parameters.length });
        return node;
      },
      transformResult: async ({ result }) => {
        sent += 1;
        return result;
      },
    };
    db = plain.withPlugin(capture);
  });
  afterAll(async () => {
    await connections?.close();
    await databases?.drop();
  });

  const entryOf = (c: CommittedEntry, i: number): AccessLogEntry => ({
    requestId: c.request_id,
    actorSubject: c.actor_subject,
    actorRole: c.actor_role,
    actorAgency: c.actor_agency,
    clientApp: c.client_app,
    operationName: c.operation_name,
    documentHash: c.document_hash,
    purpose: c.purpose,
    caseReference: c.case_reference,
    subjectType: c.subject_type,
    subjectId: `${c.subject_id}-${i}`,
    fields: c.fields,
    outcome: c.outcome as AccessLogEntry['outcome'],
  });

  it('one statement of the same text and parameter count for 1 and for 60 entries; rows and salts stored as given', async () => {
    const repos = auditRepositories(db);
    const all = sample();
    const batches = [[entryOf(all[0]!, 0)], Array.from({ length: 60 }, (_, i) => entryOf(all[i % all.length]!, i))];
    statements.length = 0;
    for (const batch of batches) {
      sent = 0;
      const rows = await repos.accessLog.append(batch);
      expect(sent).toBe(1);
      expect(rows.map((row) => row.subject_id)).toEqual(batch.map((e) => e.subjectId));
      // Ids in entry order, as the identity gave them.
      expect([...rows.map((r) => r.id)].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
      type Stored = AuditDatabase['access_log'] & { id: number; salt: Uint8Array; restricted_salt: Uint8Array; leaf_hash: Uint8Array; occurred_at: Date; fields: string[] };
      const { rows: stored } = await sql<Stored>`
        select l.*, p.salt, p.restricted_salt, p.leaf_hash from audit.access_log l join audit.access_log_pending p on p.entry_id = l.id
        where l.id = any(${rows.map((r) => r.id)}::bigint[]) order by l.id`.execute(connections.sources.audit.root);
      expect(stored).toHaveLength(batch.length);
      stored.forEach((row, i) => {
        const entry = batch[i]!;
        expect(row).toMatchObject({
          request_id: entry.requestId,
          actor_agency: entry.actorAgency ?? null,
          client_app: entry.clientApp ?? null,
          operation_name: entry.operationName ?? null,
          document_hash: entry.documentHash ?? null,
          purpose: entry.purpose ?? null,
          case_reference: entry.caseReference ?? null,
          subject_type: entry.subjectType,
          subject_id: entry.subjectId,
          fields: [...entry.fields],
          outcome: entry.outcome,
          hash: rows[i]!.hash,
        });
        expect(row.occurred_at.getTime()).toBe(rows[i]!.occurred_at.getTime());
        // The stored salts rebuild the stored leaf hash from the stored row.
        const again = commitEntry(row as unknown as CommittedEntry, { salt: row.salt, restrictedSalt: row.restricted_salt });
        expect(Buffer.from(row.leaf_hash).toString('hex')).toBe(again.leafHash.toString('hex'));
        expect(again.leafHash.toString('hex')).toBe(rows[i]!.hash);
      });
    }
    sent = 0;
    await repos.accessLog.append([entryOf(all[1]!, 100)]);
    await repos.accessLog.append(Array.from({ length: 7 }, (_, i) => entryOf(all[i % all.length]!, 200 + i)));
    expect(sent).toBe(2);
    // One text for every size, compiled once and sent again with each batch's values: the
    // commitments, the ten request columns' arrays, the entries' own columns as one JSON text.
    expect(statements).toHaveLength(1);
    expect(statements[0]!.parameters).toBe(12);
  });

  it('write stores what append stores, in the same one statement, and returns only the count', async () => {
    const repos = auditRepositories(db);
    const all = sample();
    // Every sample entry (escapes, non-ASCII, no fields, many fields) under a request of its own and another's.
    const batch = Array.from({ length: 24 }, (_, i) => entryOf(all[i % all.length]!, 300 + i));
    statements.length = 0;
    sent = 0;
    const before = Number((await sql<{ id: number | null }>`select max(id) as id from audit.access_log`.execute(connections.sources.audit.root)).rows[0]?.id ?? 0);
    expect(await repos.accessLog.write(batch)).toBe(batch.length);
    expect(await repos.accessLog.write([])).toBe(0);
    expect(sent).toBe(1);
    // Compiled no more: the append's statement, already compiled for this repository instance or compiled once here.
    expect(statements.length).toBeLessThanOrEqual(1);
    type Stored = AuditDatabase['access_log'] & { id: number; salt: Uint8Array; restricted_salt: Uint8Array; leaf_hash: Uint8Array; occurred_at: Date; fields: string[] };
    const { rows: stored } = await sql<Stored>`
      select l.*, p.salt, p.restricted_salt, p.leaf_hash from audit.access_log l join audit.access_log_pending p on p.entry_id = l.id
      where l.id > ${before} order by l.id`.execute(connections.sources.audit.root);
    expect(stored.map((row) => row.subject_id)).toEqual(batch.map((e) => e.subjectId));
    stored.forEach((row, i) => {
      const entry = batch[i]!;
      expect(row).toMatchObject({ request_id: entry.requestId, operation_name: entry.operationName ?? null, subject_type: entry.subjectType, fields: [...entry.fields], outcome: entry.outcome });
      // The stored salts rebuild the stored leaf hash, which is the row's hash, from the stored row.
      const again = commitEntry(row as unknown as CommittedEntry, { salt: row.salt, restrictedSalt: row.restricted_salt });
      expect(Buffer.from(row.leaf_hash).toString('hex')).toBe(again.leafHash.toString('hex'));
      expect(row.hash).toBe(again.leafHash.toString('hex'));
    });
  });
});
