/**
 * The holder data printed on a result (PrintedCitizenHolder) is the holder citizen's personal
 * data: each read, mask and denial is an access-log entry about that citizen, as for the fields
 * of their own record. A business holder's printed name and code are public register data.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/as.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { sqlRows } from '../../support/graphql.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let results: Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let audit: Kysely<any>;

beforeAll(async () => {
  gw = await startTestGateway();
  results = gw.databases.connections.sources.results.root;
  audit = gw.databases.connections.sources.audit.root;
});
afterAll(async () => gw?.close());

const rows = sqlRows(() => results);

interface LogRow {
  actor_role: string;
  operation_name: string | null;
  purpose: string | null;
  subject_type: string;
  subject_id: string;
  fields: string[];
  outcome: string;
}

/** The entries of one request (written alongside the response: waited for). */
async function entriesOf(requestId: string, expected = 1): Promise<LogRow[]> {
  for (let attempt = 0; ; attempt += 1) {
    const found = await rows<LogRow>(sql`select * from audit.access_log where request_id = ${requestId} order by subject_id::int, outcome`, audit);
    if (found.length >= expected || attempt >= 20) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const PRINTED = `{ procedureResults(first: 5, filter: { holderKind: CITIZEN }, orderBy: NUMBER) { edges { node {
  printedHolder { ... on PrintedCitizenHolder { fullName nationalId birthDate } } } } } }`;

async function firstHolders(where: string): Promise<number[]> {
  return (await rows<{ holder_id: number }>(sql`select holder_id from results.procedure_results where ${sql.raw(where)} order by number, id limit 5`)).map((r) => r.holder_id);
}

describe('the access log records every read of a result holder’s printed data', () => {
  it('an admin with a purpose: one GRANTED entry per holder read, about that citizen, with the fields read', async () => {
    const headers = await as('admin', { purpose: 'LEGAL_OBLIGATION', auth: gw.databases.config.auth, headers: { 'x-request-id': 'results-granted-1' } });
    const res = await gw.query(`query ReviewResults ${PRINTED}`, {}, headers);
    expect(res.errors).toBeUndefined();
    const holders = [...new Set(await firstHolders(`holder_kind = 'CITIZEN'`))].sort((a, b) => a - b);
    const entries = await entriesOf('results-granted-1', holders.length);
    expect(entries.map((e) => [e.subject_type, Number(e.subject_id), e.fields, e.outcome])).toEqual(
      holders.map((id) => ['CITIZEN', id, ['birthDate', 'fullName', 'nationalId'], 'GRANTED']),
    );
    expect(entries.every((e) => e.actor_role === 'admin' && e.operation_name === 'ReviewResults' && e.purpose === 'LEGAL_OBLIGATION')).toBe(true);
  });

  it('an officer of the issuing agency without a purpose: the name GRANTED, national id and birth date DENIED', async () => {
    const [top] = await rows<{ id: number }>(sql`select issuing_agency_id as id from results.procedure_results where holder_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`);
    const [agency] = await rows<{ code: string }>(sql`select code from reference.agencies where id = ${top!.id}`, gw.databases.connections.sources.reference.root);
    const headers = await as('officer', { agency: agency!.code, auth: gw.databases.config.auth, headers: { 'x-request-id': 'results-officer-1' } });
    const res = await gw.query(PRINTED, {}, headers);
    expect(res.errors!.length).toBeGreaterThan(0);
    expect(res.errors!.every((e) => e.extensions?.code === 'FORBIDDEN' && ['nationalId', 'birthDate'].includes(String(e.path?.at(-1))))).toBe(true);
    const holders = [...new Set(await firstHolders(`holder_kind = 'CITIZEN' and issuing_agency_id = ${top!.id}`))].sort((a, b) => a - b);
    const entries = await entriesOf('results-officer-1', 2 * holders.length);
    expect(entries.map((e) => [Number(e.subject_id), e.outcome, e.fields])).toEqual(
      holders.flatMap((id) => [
        [id, 'DENIED', ['birthDate', 'nationalId']],
        [id, 'GRANTED', ['fullName']],
      ]),
    );
  });

  it('the holder reading their own: GRANTED, about themselves', async () => {
    const [row] = await rows<{ holder_id: number; holder_national_id: string; number: string }>(
      sql`select holder_id, holder_national_id, number from results.procedure_results where holder_kind = 'CITIZEN' order by id limit 1`,
    );
    const headers = await as('citizen', { citizenId: row!.holder_national_id, auth: gw.databases.config.auth, headers: { 'x-request-id': 'results-self-1' } });
    const res = await gw.query<{ procedureResult: { printedHolder: { nationalId: string } } }>(
      `query($n: String!) { procedureResult(number: $n) { printedHolder { ... on PrintedCitizenHolder { fullName nationalId birthDate } } } }`,
      { n: row!.number },
      headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.procedureResult.printedHolder.nationalId).toBe(row!.holder_national_id);
    expect((await entriesOf('results-self-1')).map((e) => [e.actor_role, e.subject_type, Number(e.subject_id), e.fields, e.outcome])).toEqual([
      ['citizen', 'CITIZEN', row!.holder_id, ['birthDate', 'fullName', 'nationalId'], 'GRANTED'],
    ]);
  });

  it('writes nothing for a business holder’s printed data, nor for a result without its holder', async () => {
    const headers = await as('admin', { purpose: 'LEGAL_OBLIGATION', auth: gw.databases.config.auth, headers: { 'x-request-id': 'results-business-1' } });
    const res = await gw.query(
      `{ procedureResults(first: 5, filter: { holderKind: BUSINESS }) { edges { node { number status printedHolder { ... on PrintedBusinessHolder { name code } } } } } }`,
      {},
      headers,
    );
    expect(res.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await entriesOf('results-business-1', 0)).toEqual([]);
  });
});
