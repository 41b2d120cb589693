/**
 * The results source's authorization scenarios, through the real HTTP server, on the fixtures of
 * the access matrix (test/access/fixtures.ts, runner.ts): the row scope of procedure results and
 * the public verification of result documents. Written by hand from DESIGN.md (Authorization)
 * and the table in src/access/policy.ts, like test/access/expectations.ts: the test never asks
 * the policy module, or it could not fail.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../../support/gateway.js';
import type { CallerHeaders } from '../../support/as.js';
import { CALLERS, type CallerName } from '../../access/expectations.js';
import { AGENCY_A, type Fixtures } from '../../access/fixtures.js';
import { startMatrix, visible } from '../../access/runner.js';

let gw: TestGateway;
let f: Fixtures;
let headers: Record<CallerName, CallerHeaders>;
beforeAll(async () => {
  ({ gw, f, headers } = await startMatrix());
});
afterAll(async () => gw?.close());

describe('procedure result row scopes', () => {
  /** By hand from the policy's table: the holder's own, those the officer's agency issued, all for admins; none for the others. */
  const EXPECTED: Record<CallerName, () => number> = {
    public: () => 0,
    citizen: () => f.resultCounts.ofC,
    officer: () => f.resultCounts.agencyA,
    officerNoPurpose: () => f.resultCounts.agencyA,
    analyst: () => 0,
    auditor: () => 0,
    admin: () => f.resultCounts.all,
    adminNoPurpose: () => f.resultCounts.all,
  };

  it('the counts tell the scopes apart (C also holds a result another agency issued)', () => {
    expect(f.resultCounts.ofC).toBeGreaterThan(0);
    expect(f.resultCounts.agencyA).toBeGreaterThan(f.resultCounts.ofC);
    expect(f.resultCounts.all).toBeGreaterThan(f.resultCounts.agencyA);
  });

  it.each(CALLERS)('%s: procedureResults counts the results the caller may see in full, without error', async (caller) => {
    const res = await gw.query(`{ procedureResults { totalCount } }`, undefined, headers[caller]);
    expect(visible(res)).toEqual({ status: 200, data: { procedureResults: { totalCount: EXPECTED[caller]() } }, errors: undefined });
  });
});

describe('verifyProcedureResult: the public verification of a result document', () => {
  const VERIFY = `query Verify($number: String!, $sha: String!, $wrong: String!) {
    right: verifyProcedureResult(number: $number, documentSha256: $sha) { number status issuingAgency { code } }
    wrong: verifyProcedureResult(number: $number, documentSha256: $wrong) { number status kind issuedAt validUntil issuingAgency { code } }
  }`;
  /** R's hash with its last digit changed. */
  const wrongHash = () => `${f.R.document_sha256.slice(0, -1)}${f.R.document_sha256.endsWith('0') ? '1' : '0'}`;
  const entriesOf = async (requestId: string) =>
    (
      await sql<{ subject_type: string; subject_id: string; fields: string[]; outcome: string }>`select subject_type, subject_id, fields, outcome
        from audit.access_log where request_id = ${requestId} order by id`.execute(gw.databases.connections.sources.audit.root)
    ).rows;

  it.each(CALLERS)("%s: VALID for R's document and UNKNOWN for a wrong hash, without FORBIDDEN, and no access-log entry", async (caller) => {
    const requestId = `access-matrix-verify-${caller}`;
    const res = await gw.query(VERIFY, { number: f.R.number, sha: f.R.document_sha256, wrong: wrongHash() }, { ...headers[caller], 'x-request-id': requestId });
    expect(visible(res)).toEqual({
      status: 200,
      data: {
        right: { number: f.R.number, status: 'VALID', issuingAgency: { code: AGENCY_A } },
        // A wrong hash tells nothing, as an unknown number.
        wrong: { number: f.R.number, status: 'UNKNOWN', kind: null, issuedAt: null, validUntil: null, issuingAgency: null },
      },
      errors: undefined,
    });
    // Entries are written before the response leaves: none for a verification, which reads no holder.
    expect(await entriesOf(requestId)).toEqual([]);
  });

  it("(the entries are found by request id: reading R's printed name writes one under it)", async () => {
    const requestId = 'access-matrix-verify-control';
    const res = await gw.query(
      `query($number: String!) { procedureResult(number: $number) { printedHolder { ... on PrintedCitizenHolder { fullName } } } }`,
      { number: f.R.number },
      { ...headers.admin, 'x-request-id': requestId },
    );
    expect(res.errors).toBeUndefined();
    expect(await entriesOf(requestId)).toEqual([{ subject_type: 'CITIZEN', subject_id: String(f.C.id), fields: ['fullName'], outcome: 'GRANTED' }]);
  });
});
