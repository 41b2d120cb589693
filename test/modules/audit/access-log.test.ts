import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

let gw: TestGateway;
const auth = loadConfig().auth;
const bearer = async (role: 'admin' | 'analyst' | 'auditor', extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${await mintDevToken(auth, { role, clientApp: 'test-suite' })}`,
  ...extra,
});

interface LogRow {
  request_id: string;
  actor_subject: string;
  actor_role: string;
  client_app: string | null;
  operation_name: string | null;
  document_hash: string | null;
  purpose: string | null;
  case_reference: string | null;
  subject_type: string;
  subject_id: string;
  fields: string[];
  outcome: string;
}

async function entriesOf(requestId: string): Promise<LogRow[]> {
  const { rows } = await sql<LogRow>`select * from audit.access_log where request_id = ${requestId} order by subject_id::int, outcome`.execute(
    gw.databases.connections.sources.audit.root,
  );
  return rows;
}

async function logCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log`.execute(gw.databases.connections.sources.audit.root);
  return rows[0]!.n;
}

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => gw?.close());

describe('the access log records every personal read and denial', () => {
  it('one entry per person read, listing the fields, with who, why and which document', async () => {
    const { rows: dossiers } = await sql<{ code: string }>`select code from services.dossiers order by id limit 1`.execute(gw.databases.connections.sources.services.root);
    const caseReference = dossiers[0]!.code;
    // LEGAL_OBLIGATION opens everyone for an admin (DOSSIER_PROCESSING only the case's applicant); the reference is logged as given.
    const headers = await bearer('admin', { 'x-purpose': 'LEGAL_OBLIGATION', 'x-case-reference': caseReference, 'x-request-id': 'req-granted-1' });
    const res = await gw.query<{ citizens: { edges: Array<{ node: { id: string; fullName: string; nationalId: string } }> } }>(
      `query ReviewApplicants { citizens(first: 3, orderBy: NEWEST) { edges { node { id fullName nationalId } } } }`,
      {},
      headers,
    );
    expect(res.errors).toBeUndefined();
    const entries = await entriesOf('req-granted-1');
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actor_subject: 'dev-admin',
        actor_role: 'admin',
        client_app: 'test-suite',
        operation_name: 'ReviewApplicants',
        purpose: 'LEGAL_OBLIGATION',
        case_reference: caseReference,
        subject_type: 'CITIZEN',
        fields: ['fullName', 'nationalId'],
        outcome: 'GRANTED',
      });
      expect(entry.document_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    // The entries name exactly the citizens returned.
    const { rows } = await sql<{ id: number }>`select id from population.citizens order by id desc limit 3`.execute(gw.databases.connections.sources.population.root);
    expect(entries.map((e) => Number(e.subject_id)).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('logs denials, and granted and denied fields of one person as separate entries', async () => {
    const headers = await bearer('admin', { 'x-request-id': 'req-mixed-1' });
    const res = await gw.query(`{ citizens(first: 2, orderBy: NEWEST) { edges { node { fullName ward { name } phone } } } }`, {}, headers);
    expect(res.errors?.every((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.at(-1) === 'phone')).toBe(true);
    const entries = await entriesOf('req-mixed-1');
    expect(entries.map((e) => [e.outcome, e.fields])).toEqual([
      ['DENIED', ['phone']],
      ['GRANTED', ['fullName', 'ward']],
      ['DENIED', ['phone']],
      ['GRANTED', ['fullName', 'ward']],
    ]);
  });

  it('logs a public caller’s denied reads of a legal representative', async () => {
    // phone: a representative's full name is public register data (GRANTED), their phone is not.
    const res = await gw.query(`{ businesses(first: 2) { edges { node { name legalRepresentative { phone } } } } }`, {}, { 'x-request-id': 'req-public-1' });
    expect(res.data).toBeDefined();
    const entries = await entriesOf('req-public-1');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.outcome === 'DENIED' && e.actor_role === 'public' && e.actor_subject === 'anonymous')).toBe(true);
  });

  it('logs masked reads as MASKED', async () => {
    const headers = await bearer('analyst', { 'x-request-id': 'req-masked-1' });
    const res = await gw.query<{ businesses: { edges: Array<{ node: { legalRepresentative: { nationalId: string } } }> } }>(
      `{ businesses(first: 1) { edges { node { legalRepresentative { nationalId } } } } }`,
      {},
      headers,
    );
    expect(res.data!.businesses.edges[0]!.node.legalRepresentative.nationalId).toMatch(/^\*{8}\d{4}$/);
    expect((await entriesOf('req-masked-1')).map((e) => [e.outcome, e.fields])).toEqual([['MASKED', ['nationalId']]]);
  });

  it('writes nothing for a request without personal data', async () => {
    const before = await logCount();
    await gw.query(`{ agencies(first: 3) { edges { node { name } } } businesses(first: 3) { edges { node { name } } } }`);
    expect(await logCount()).toBe(before);
  });
});

describe('fail closed', () => {
  it('returns no personal data when the log cannot be written, and recovers', async () => {
    const audit = gw.databases.connections.sources.audit.root;
    const headers = await bearer('admin', { 'x-purpose': 'CITIZEN_REQUEST' });
    // NEWEST: an order by name would be a look-up by name, whose whole answer is withheld (test/access-log-lookups.test.ts).
    const query = `{ agencies(first: 1) { edges { node { code } } } citizens(first: 5, orderBy: NEWEST) { edges { node { id fullName nationalId phone } } } }`;
    const ok = await gw.query<{ citizens: { edges: Array<{ node: { nationalId: string } }> } }>(query, {}, headers);
    const nationalIds = ok.data!.citizens.edges.map((e) => e.node.nationalId);
    expect(nationalIds).toHaveLength(5);

    await sql`alter table audit.access_log rename to access_log_unwritable`.execute(audit);
    try {
      const res = await gw.query<{ agencies: unknown; citizens: { edges: Array<{ node: Record<string, unknown> }> } }>(query, {}, headers);
      const body = JSON.stringify(res.data);
      for (const id of nationalIds) expect(body).not.toContain(id);
      for (const edge of res.data!.citizens.edges) expect(edge.node).toMatchObject({ fullName: null, nationalId: null, phone: null });
      // Non-personal parts are served.
      expect(res.data!.agencies).toBeTruthy();
      expect(res.errors!.length).toBe(15);
      expect(res.errors!.every((e) => e.extensions?.code === 'SOURCE_UNAVAILABLE')).toBe(true);
    } finally {
      await sql`alter table audit.access_log_unwritable rename to access_log`.execute(audit);
    }
    const again = await gw.query(query, {}, headers);
    expect(again.errors).toBeUndefined();
  });
});

describe('under load', () => {
  it('50 concurrent callers, 2,000 requests: one entry per read, none lost, every one provable, log intact', async () => {
    const { rows } = await sql<{ national_id: string }>`select national_id from population.citizens order by id limit 40`.execute(
      gw.databases.connections.sources.population.root,
    );
    const before = await logCount();
    const headers = await bearer('admin', { 'x-purpose': 'CITIZEN_REQUEST' });
    const total = 2_000;
    let next = 0;
    let failures = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const res = await gw.query(`query($n: String!) { citizen(nationalId: $n) { fullName birthDate } }`, { n: rows[i % rows.length]!.national_id }, headers);
        if (res.errors || !res.data) failures += 1;
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(failures).toBe(0);
    // Two entries per look-up: the fields read of the person found by nationalId, and the value searched for.
    expect((await logCount()) - before).toBe(2 * total);
    // Every entry is provable within about a second: the integrator has signed a checkpoint of them all.
    const count = await logCount();
    const deadline = Date.now() + 5_000;
    let treeSize = 0;
    while (Date.now() < deadline) {
      treeSize = (await gw.query<{ accessLogCheckpoint: { treeSize: number } }>(`{ accessLogCheckpoint { treeSize } }`)).data!.accessLogCheckpoint.treeSize;
      if (treeSize >= count) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(treeSize).toBe(count);
    const verify = await gw.query<{ accessLogVerification: { intact: boolean; checked: number; pending: number; treeSize: number } }>(`{ accessLogVerification { intact checked pending treeSize } }`, {}, await bearer('auditor'));
    expect(verify.data!.accessLogVerification).toEqual({ intact: true, checked: count, pending: 0, treeSize: count });
  }, 300_000);
});

describe('auditors and citizens read the log through GraphQL', () => {
  it('filters by outcome and actor, pages newest first', async () => {
    const headers = await bearer('auditor');
    const denied = await gw.query<{ accessLog: { totalCount: number; edges: Array<{ node: { outcome: string; actorRole: string } }> } }>(
      `{ accessLog(first: 50, filter: { outcome: DENIED, actor: "anonymous" }) { totalCount edges { node { outcome actorRole } } } }`,
      {},
      headers,
    );
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log where outcome = 'DENIED' and actor_subject = 'anonymous'`.execute(
      gw.databases.connections.sources.audit.root,
    );
    expect(denied.data!.accessLog.totalCount).toBe(rows[0]!.n);
    expect(denied.data!.accessLog.edges.every((e) => e.node.outcome === 'DENIED' && e.node.actorRole === 'public')).toBe(true);
  });

  it('is FORBIDDEN to other roles', async () => {
    const officer = { authorization: `Bearer ${await mintDevToken(auth, { role: 'officer', agency: 'SKHDT' })}` };
    for (const headers of [{}, await bearer('analyst'), officer]) {
      const res = await gw.query(`{ accessLog(first: 1) { totalCount } }`, {}, headers);
      expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
  });

  it("shows a citizen who read their data: agency and role, not the officer's identity", async () => {
    const { rows } = await sql<{ id: number; national_id: string }>`select id, national_id from population.citizens order by id limit 1`.execute(
      gw.databases.connections.sources.population.root,
    );
    const citizen = rows[0]!;
    await gw.query(`query($n: String!) { citizen(nationalId: $n) { phone } }`, { n: citizen.national_id }, await bearer('admin', { 'x-purpose': 'LEGAL_OBLIGATION' }));
    const token = await mintDevToken(auth, { role: 'citizen', citizenId: citizen.national_id });
    const res = await gw.query<{ me: { accessLog: { edges: Array<{ node: Record<string, unknown> }> } } }>(
      `{ me { accessLog(first: 50) { edges { node { actorRole actorAgency purpose fields outcome } } } } }`,
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.me.accessLog.edges.map((e) => e.node)).toContainEqual({
      actorRole: 'admin',
      actorAgency: null,
      purpose: 'LEGAL_OBLIGATION',
      fields: ['phone'],
      outcome: 'GRANTED',
    });
    const other = await gw.query(`{ citizens(first: 1) { edges { node { accessLog(first: 1) { totalCount } } } } }`, {}, await bearer('admin', { 'x-purpose': 'CITIZEN_REQUEST' }));
    expect(other.errors).toBeUndefined();
  });
});
