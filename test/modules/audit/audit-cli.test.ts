import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../src/config.js';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { auditRepositories } from '../../../src/modules/audit/db/index.js';
import { migrateAll } from '../../../src/modules/migrate.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from '../../support/databases.js';

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
    env = databases.env;
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

/** A fresh log of `n` entries. */
async function freshLog(n: number): Promise<number[]> {
  return withConnections(async (connections) => {
    await sql`drop schema if exists audit cascade`.execute(connections.sources.audit.root);
    await migrateAll(connections);
    const log = auditRepositories(connections.sources.audit.db).accessLog;
    const rows = await log.append(
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
    return rows.map((row) => Number(row.id));
  });
}

/** Tampers as the table owner would, with the append-only triggers off. */
async function tamper(...statements: RawBuilder<unknown>[]): Promise<void> {
  await withConnections(async (connections) => {
    const root = connections.sources.audit.root;
    await sql`alter table audit.access_log disable trigger all`.execute(root);
    for (const statement of statements) await statement.execute(root);
    await sql`alter table audit.access_log enable trigger all`.execute(root);
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
    const ids = await freshLog(6);
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
    expect(rows[0]).toMatch(/^id,seq,occurred_at,request_id,/);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toContain('fullName;phone');

    const empty = await cli('audit-export', '--format', 'ndjson', '--to', '2000-01-01T00:00:00Z');
    expect(empty).toEqual({ code: 0, stdout: '' });
    expect((await cli('audit-export', '--format', 'xml')).code).not.toBe(0);
  });
});
