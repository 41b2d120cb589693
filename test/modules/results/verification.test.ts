/**
 * The public verification of a result document (verifyProcedureResult): anyone may ask whether a
 * document, given by its number and the SHA-256 of its file, is a result of the repository and
 * whether it still holds. It answers VALID / REVOKED / EXPIRED / UNKNOWN and what the document
 * itself shows (kind, dates, issuing agency), never who holds it; a wrong hash is UNKNOWN, exactly
 * like an unknown number, so it is no oracle for numbers, holders or anything else.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/access/roles.js';
import { as } from '../../support/as.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';
import { ok, sqlRows } from '../../support/graphql.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connection
let db: Kysely<any>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.results.root;
});
afterAll(async () => gw?.close());

const rows = sqlRows(() => db);

interface ResultRow {
  id: number;
  number: string;
  kind: string;
  issuing_agency_id: number;
  issued_at: Date;
  valid_until: Date | null;
  status: string;
  document_sha256: string;
  holder_name: string;
  holder_national_id: string | null;
  holder_birth_date: string | null;
  holder_business_code: string | null;
  holder_id: number;
}

async function resultWhere(where: string): Promise<ResultRow> {
  const [row] = await rows<ResultRow>(sql`select * from results.procedure_results where ${sql.raw(where)} order by id limit 1`);
  expect(row, where).toBeDefined();
  return row!;
}

const VERIFY = `query Verify($number: String!, $sha: String!) {
  verifyProcedureResult(number: $number, documentSha256: $sha) { number status checkedAt kind issuedAt validUntil issuingAgency { code } }
}`;

interface Verification {
  number: string;
  status: string;
  checkedAt: string;
  kind: string | null;
  issuedAt: string | null;
  validUntil: string | null;
  issuingAgency: { code: string } | null;
}

async function verify(number: string, sha: string, headers: Record<string, string> = {}): Promise<GraphQLResponse<{ verifyProcedureResult: Verification }>> {
  return gw.query<{ verifyProcedureResult: Verification }>(VERIFY, { number, sha }, headers);
}

async function agencyCode(id: number): Promise<string> {
  const [row] = await rows<{ code: string }>(sql`select code from reference.agencies where id = ${id}`, gw.databases.connections.sources.reference.root);
  return row!.code;
}

/** Nothing the holder is known by appears in the answer. */
function expectNoHolder(res: GraphQLResponse, row: ResultRow): void {
  const body = JSON.stringify(res);
  for (const value of [row.holder_name, row.holder_national_id, row.holder_birth_date, row.holder_business_code]) if (value) expect(body).not.toContain(value);
  expect(body).not.toMatch(/holder|citizen|national/i);
}

describe('verifyProcedureResult', () => {
  it('VALID, with what the document shows, to a public caller', async () => {
    const row = await resultWhere(`status = 'VALID' and (valid_until is null or valid_until > now() + interval '1 day')`);
    const res = await verify(row.number, row.document_sha256);
    const before = Date.now();
    expect(ok(res).verifyProcedureResult).toEqual({
      number: row.number,
      status: 'VALID',
      checkedAt: expect.any(String),
      kind: row.kind,
      issuedAt: row.issued_at.toISOString(),
      validUntil: row.valid_until ? row.valid_until.toISOString() : null,
      issuingAgency: { code: await agencyCode(row.issuing_agency_id) },
    });
    expect(Math.abs(new Date(res.data!.verifyProcedureResult.checkedAt).getTime() - before)).toBeLessThan(60_000);
    expectNoHolder(res, row);
    // One statement on the results source; the agency's name from reference.
    expect(res.extensions?.sqlStatements?.bySource).toEqual({ results: 1, reference: 1 });
  });

  it('REVOKED, EXPIRED as recorded, and EXPIRED when the validity date has passed since', async () => {
    const revoked = await resultWhere(`status = 'REVOKED'`);
    const expired = await resultWhere(`status = 'EXPIRED'`);
    const lapsed = await resultWhere(`status = 'VALID' and valid_until <= now()`);
    for (const [row, status] of [[revoked, 'REVOKED'], [expired, 'EXPIRED'], [lapsed, 'EXPIRED']] as const) {
      const res = await verify(row.number, row.document_sha256);
      expect(ok(res).verifyProcedureResult).toMatchObject({ number: row.number, status, kind: row.kind, issuedAt: row.issued_at.toISOString() });
      expectNoHolder(res, row);
    }
  });

  it('UNKNOWN for an unknown number, another result’s hash, or a document changed by one byte, all alike', async () => {
    const [a, b] = await rows<ResultRow>(sql`select * from results.procedure_results order by id limit 2`);
    const tampered = createHash('sha256').update(`${a!.document_sha256}.`).digest('hex');
    const answers = [
      await verify('GP-NOPE-2024-000001', a!.document_sha256),
      await verify(a!.number, b!.document_sha256),
      await verify(a!.number, tampered),
    ];
    for (const res of answers) {
      const answer = ok(res).verifyProcedureResult;
      expect({ ...answer, checkedAt: 'then' }).toEqual({ number: answer.number, status: 'UNKNOWN', checkedAt: 'then', kind: null, issuedAt: null, validUntil: null, issuingAgency: null });
      expectNoHolder(res, a!);
      // No lookup oracle: a wrong hash for a real number costs what an unknown number does.
      expect(res.extensions?.sqlStatements).toEqual(answers[0]!.extensions?.sqlStatements);
    }
    expect(answers[0]!.extensions?.sqlStatements?.bySource).toEqual({ results: 1 });
  });

  it('accepts the hash in upper case, and refuses one that is not a SHA-256 with BAD_USER_INPUT', async () => {
    const row = await resultWhere(`status = 'REVOKED'`);
    expect(ok(await verify(row.number, row.document_sha256.toUpperCase())).verifyProcedureResult.status).toBe('REVOKED');
    for (const bad of ['', 'abc', row.document_sha256.slice(1), `${row.document_sha256}0`, `${row.document_sha256.slice(0, 63)}g`]) {
      const res = await verify(row.number, bad);
      expect(res.data?.verifyProcedureResult, bad).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code), bad).toEqual(['BAD_USER_INPUT']);
      expect(res.extensions?.sqlStatements?.bySource.results ?? 0).toBe(0);
    }
  });

  it.each(['public', 'citizen', 'officer', 'analyst', 'auditor', 'admin'] as const)('answers %s alike, and writes nothing to the access log', async (role: Role) => {
    const row = await resultWhere(`status = 'VALID' and holder_kind = 'CITIZEN' and (valid_until is null or valid_until > now() + interval '1 day')`);
    const headers = role === 'public' ? {} : await as(role, { auth: gw.databases.config.auth, agency: role === 'officer' ? 'UBND-HC' : undefined, citizenId: role === 'citizen' ? row.holder_national_id! : undefined });
    const audit = gw.databases.connections.sources.audit.root;
    const count = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from audit.access_log`, audit))[0]!.n;
    const before = await count();
    const res = await verify(row.number, row.document_sha256, headers);
    expect(ok(res).verifyProcedureResult).toMatchObject({ status: 'VALID', kind: row.kind });
    expectNoHolder(res, row);
    // The access-log write runs alongside the response: give it a moment, then look.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await count()).toBe(before);
  });

  it('has no field that could name the holder', async () => {
    const data = ok(await gw.query<{ __type: { fields: Array<{ name: string }> } }>(`{ __type(name: "ProcedureResultVerification") { fields { name } } }`));
    expect(data.__type.fields.map((f) => f.name).sort()).toEqual(['checkedAt', 'issuedAt', 'issuingAgency', 'kind', 'number', 'status', 'validUntil']);
  });
});
