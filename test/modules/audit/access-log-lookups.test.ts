/**
 * Query-by disclosures (issue 13, L1): a look-up, filter, ordering, search or count on a personal
 * field is a disclosure, and the access log has an entry for it. Each person in the answer is
 * FOUND_BY the fields used; each value searched for is an entry of its own (subject CRITERION,
 * `<field>:<keyed hash>`, never the value), found or not; a count is COUNTED_BY. A citizen's own
 * `me { accessLog }` shows the look-ups of their national id, found or not.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';

interface LogRow {
  actor_role: string;
  actor_agency: string | null;
  purpose: string | null;
  case_reference: string | null;
  subject_type: string;
  subject_id: string;
  fields: string[];
  outcome: string;
  found_by: string[];
}

interface Person {
  id: number;
  national_id: string;
  full_name: string;
  gender: string;
  birth_date: string;
  household_id: number;
}

let gw: TestGateway;
let admin: Record<string, string>;
let people: Person[];
/** A citizen who applied to agency A, and A's dossier of theirs. */
let applicant: Person;
let applicantDossier: string;
const AGENCY_A = 'UBND-HC';
const MISSING_NATIONAL_ID = '048099999999';

const withId = (headers: Record<string, string>) => {
  const requestId = `lookup-${randomUUID()}`;
  return { requestId, headers: { ...headers, 'x-request-id': requestId } };
};

async function ask<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const { requestId, headers: h } = withId(headers);
  const res: GraphQLResponse<T> = await gw.query<T>(query, variables, h);
  return { res, entries: await entriesOf(requestId) };
}

async function entriesOf(requestId: string): Promise<LogRow[]> {
  const { rows } = await sql<LogRow>`select actor_role, actor_agency, purpose, case_reference, subject_type, subject_id, fields, outcome, found_by
    from audit.access_log where request_id = ${requestId} order by subject_type, subject_id, outcome`.execute(gw.databases.connections.sources.audit.root);
  return rows;
}

const brief = (rows: LogRow[]) => rows.map((r) => [r.subject_type, r.subject_type === 'CRITERION' ? r.subject_id.split(':')[0] : r.subject_id, r.outcome, r.fields, r.found_by]);
const criterionOf = (rows: LogRow[], field: string, outcome: string) => rows.filter((r) => r.subject_type === 'CRITERION' && r.subject_id.startsWith(`${field}:`) && r.outcome === outcome);

beforeAll(async () => {
  gw = await startTestGateway();
  const auth = gw.databases.config.auth;
  admin = { authorization: `Bearer ${await mintDevToken(auth, { role: 'admin' })}`, 'x-purpose': 'LEGAL_OBLIGATION' };
  const s = gw.databases.connections.sources;
  people = (await sql<Person>`select id, national_id, full_name, gender, birth_date::text as birth_date, household_id
    from population.citizens order by id limit 200`.execute(s.population.root)).rows;
  const [agency] = (await sql<{ id: number }>`select id from reference.agencies where code = ${AGENCY_A}`.execute(s.reference.root)).rows;
  const [dossier] = (await sql<{ code: string; applicant_id: number }>`select code, applicant_id from services.dossiers
    where agency_id = ${agency!.id} and applicant_kind = 'CITIZEN' order by id limit 1`.execute(s.services.root)).rows;
  applicantDossier = dossier!.code;
  applicant = (await sql<Person>`select id, national_id, full_name, gender, birth_date::text as birth_date, household_id
    from population.citizens where id = ${dossier!.applicant_id}`.execute(s.population.root)).rows[0]!;
});
afterAll(async () => gw?.close());

describe('look-ups by national id', () => {
  it('L1: citizen(nationalId){ id } writes the person found by nationalId and the hashed value searched for', async () => {
    const p = people[0]!;
    const { res, entries } = await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: p.national_id }, admin);
    expect(res.data).toEqual({ citizen: { id: toGlobalId('Citizen', p.id) } });
    expect(brief(entries)).toEqual([
      ['CITIZEN', String(p.id), 'FOUND_BY', ['nationalId'], ['nationalId']],
      ['CRITERION', 'nationalId', 'FOUND_BY', ['nationalId'], ['nationalId']],
    ]);
    // Never the value: a keyed hash (HMAC-SHA-256, hex).
    const criterion = criterionOf(entries, 'nationalId', 'FOUND_BY')[0]!;
    expect(criterion.subject_id).toMatch(/^nationalId:[0-9a-f]{64}$/);
    expect(JSON.stringify(entries)).not.toContain(p.national_id);
    expect(entries.every((e) => e.actor_role === 'admin' && e.purpose === 'LEGAL_OBLIGATION')).toBe(true);
  });

  it('L1: citizen(nationalId){ id fullName } logs the read of fullName and the found-by-nationalId in one entry', async () => {
    const p = people[1]!;
    const { entries } = await ask(`query($n: String!) { citizen(nationalId: $n) { id fullName } }`, { n: p.national_id }, admin);
    expect(brief(entries)).toEqual([
      ['CITIZEN', String(p.id), 'GRANTED', ['fullName'], ['nationalId']],
      ['CRITERION', 'nationalId', 'FOUND_BY', ['nationalId'], ['nationalId']],
    ]);
    // The auditor's FOUND_BY filter finds the read too: the person was found by nationalId.
    const auditor = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'auditor' })}` };
    const log = await gw.query<{ accessLog: { edges: Array<{ node: { outcome: string; fields: string[]; foundBy: string[] } }> } }>(
      `query($r: String!) { accessLog(first: 20, filter: { subjectType: "CITIZEN", subject: $r, outcome: FOUND_BY }) { edges { node { outcome fields foundBy } } } }`,
      { r: String(p.id) },
      auditor,
    );
    expect(log.data!.accessLog.edges.map((e) => e.node)).toContainEqual({ outcome: 'GRANTED', fields: ['fullName'], foundBy: ['nationalId'] });
  });

  it('a look-up that finds no one still writes the value searched for; the same value gives the same hash', async () => {
    const first = await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: MISSING_NATIONAL_ID }, admin);
    expect(first.res.data).toEqual({ citizen: null });
    expect(brief(first.entries)).toEqual([['CRITERION', 'nationalId', 'FOUND_BY', ['nationalId'], ['nationalId']]]);
    const again = await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: ` ${MISSING_NATIONAL_ID} ` }, admin);
    expect(again.entries[0]!.subject_id).toBe(first.entries[0]!.subject_id);
    const other = await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: people[2]!.national_id }, admin);
    expect(criterionOf(other.entries, 'nationalId', 'FOUND_BY')[0]!.subject_id).not.toBe(first.entries[0]!.subject_id);
  });

  it('the filter by national id in a list: found and not found', async () => {
    const p = people[3]!;
    const q = `query($n: String!) { citizens(filter: { nationalId: $n }, orderBy: NEWEST) { edges { node { id } } } }`;
    const hit = await ask(q, { n: p.national_id }, admin);
    expect(brief(hit.entries)).toEqual([
      ['CITIZEN', String(p.id), 'FOUND_BY', ['nationalId'], ['nationalId']],
      ['CRITERION', 'nationalId', 'FOUND_BY', ['nationalId'], ['nationalId']],
    ]);
    const miss = await ask(q, { n: MISSING_NATIONAL_ID }, admin);
    expect(brief(miss.entries)).toEqual([['CRITERION', 'nationalId', 'FOUND_BY', ['nationalId'], ['nationalId']]]);
  });

  it('a refused look-up is logged as a denial of the value asked for', async () => {
    const officer = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: AGENCY_A })}` };
    const { res, entries } = await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: applicant.national_id }, officer);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(brief(entries)).toEqual([['CRITERION', 'nationalId', 'DENIED', ['nationalId'], []]]);
    expect(entries[0]!.actor_agency).toBe(AGENCY_A);
  });
});

describe('counts: the birth date found by bisection (L1) is logged as a count over both criteria', () => {
  const COUNT = `query($n: String!, $d: LocalDate!) { citizens(filter: { nationalId: $n, bornFrom: $d, bornTo: $d }) { totalCount } }`;

  it('with and without a result, each value counted is an entry (COUNTED_BY), and no person is named by a count alone', async () => {
    const p = people[4]!;
    const hit = await ask<{ citizens: { totalCount: number } }>(COUNT, { n: p.national_id, d: p.birth_date }, admin);
    expect(hit.res.data!.citizens.totalCount).toBe(1);
    expect(brief(hit.entries)).toEqual([
      ['CRITERION', 'birthDate', 'COUNTED_BY', ['birthDate', 'nationalId'], []],
      ['CRITERION', 'nationalId', 'COUNTED_BY', ['birthDate', 'nationalId'], []],
    ]);
    const miss = await ask<{ citizens: { totalCount: number } }>(COUNT, { n: p.national_id, d: '1900-01-01' }, admin);
    expect(miss.res.data!.citizens.totalCount).toBe(0);
    expect(brief(miss.entries)).toEqual(brief(hit.entries));
    // The same national id, the same hash; another day, another hash.
    expect(criterionOf(miss.entries, 'nationalId', 'COUNTED_BY')[0]!.subject_id).toBe(criterionOf(hit.entries, 'nationalId', 'COUNTED_BY')[0]!.subject_id);
    expect(criterionOf(miss.entries, 'birthDate', 'COUNTED_BY')[0]!.subject_id).not.toBe(criterionOf(hit.entries, 'birthDate', 'COUNTED_BY')[0]!.subject_id);
    expect(JSON.stringify(hit.entries)).not.toContain(p.birth_date);
  });

  it("the citizen's own access log shows the look-ups and counts of them, found or not", async () => {
    const p = people[5]!;
    await ask(COUNT, { n: p.national_id, d: '1900-01-01' }, admin);
    await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: p.national_id }, admin);
    const citizen = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'citizen', citizenId: p.national_id })}` };
    const res = await gw.query<{ me: { accessLog: { edges: Array<{ node: { actorRole: string; purpose: string; fields: string[]; outcome: string } }> } } }>(
      `{ me { accessLog(first: 20) { edges { node { actorRole purpose fields outcome } } } } }`,
      {},
      citizen,
    );
    expect(res.errors).toBeUndefined();
    const seen = res.data!.me.accessLog.edges.map((e) => e.node);
    // Newest first: the look-up (the person found, and the value searched), then the count.
    expect(seen).toEqual([
      { actorRole: 'admin', purpose: 'LEGAL_OBLIGATION', fields: ['nationalId'], outcome: 'FOUND_BY' },
      { actorRole: 'admin', purpose: 'LEGAL_OBLIGATION', fields: ['nationalId'], outcome: 'FOUND_BY' },
      { actorRole: 'admin', purpose: 'LEGAL_OBLIGATION', fields: ['birthDate', 'nationalId'], outcome: 'COUNTED_BY' },
    ]);
  });

  it("an officer's look-up of someone outside their scope finds no one, and still shows in that citizen's log", async () => {
    const outsider = people.slice(9).find((p) => p.id !== applicant.id)!;
    const officer = {
      authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: 'SKHDT' })}`,
      'x-purpose': 'CITIZEN_REQUEST',
    };
    const admin2 = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'LEGAL_OBLIGATION' };
    // The national-id look-up is refused under CITIZEN_REQUEST (it opens contact data only): a denial.
    const { entries } = await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: outsider.national_id }, officer);
    expect(brief(entries)).toEqual([['CRITERION', 'nationalId', 'DENIED', ['nationalId'], []]]);
    const citizen = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'citizen', citizenId: outsider.national_id })}` };
    const res = await gw.query<{ me: { accessLog: { edges: Array<{ node: { actorRole: string; actorAgency: string | null; outcome: string } }> } } }>(
      `{ me { accessLog(first: 50) { edges { node { actorRole actorAgency outcome } } } } }`,
      {},
      citizen,
    );
    expect(res.data!.me.accessLog.edges.map((e) => e.node)).toContainEqual({ actorRole: 'officer', actorAgency: 'SKHDT', outcome: 'DENIED' });
    // An auditor finds every search for the same value by its hash.
    const auditor = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'auditor' })}` };
    await ask(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: outsider.national_id }, admin2);
    const log = await gw.query<{ accessLog: { edges: Array<{ node: { actorRole: string; outcome: string } }> } }>(
      `query($s: String!) { accessLog(first: 10, filter: { subjectType: "CRITERION", subject: $s }) { edges { node { actorRole outcome } } } }`,
      { s: entries[0]!.subject_id },
      auditor,
    );
    expect(log.data!.accessLog.edges.map((e) => e.node)).toEqual([
      { actorRole: 'admin', outcome: 'FOUND_BY' },
      { actorRole: 'officer', outcome: 'DENIED' },
    ]);
  });
});

describe('each look-up kind, with and without results', () => {
  const LIST = `query($f: CitizenFilter!) { citizens(first: 100, filter: $f, orderBy: NEWEST) { edges { node { id } } } }`;
  type List = { citizens: { edges: Array<{ node: { id: string } }> } };
  const ids = (res: GraphQLResponse<List>) => res.data!.citizens.edges.map((e) => Number(Buffer.from(e.node.id, 'base64url').toString().split(':')[1]));

  it('by birth-date range: each person found, and the range searched for', async () => {
    const p = people[6]!;
    const hit = await ask<List>(LIST, { f: { bornFrom: p.birth_date, bornTo: p.birth_date } }, admin);
    const found = hit.res.data!.citizens.edges.length;
    expect(found).toBeGreaterThan(0);
    const persons = hit.entries.filter((e) => e.subject_type === 'CITIZEN');
    expect(persons).toHaveLength(found);
    expect(persons.every((e) => e.outcome === 'FOUND_BY' && e.fields.join() === 'birthDate')).toBe(true);
    expect(criterionOf(hit.entries, 'birthDate', 'FOUND_BY')).toHaveLength(1);
    const miss = await ask<List>(LIST, { f: { bornFrom: '1800-01-01', bornTo: '1800-12-31' } }, admin);
    expect(miss.res.data!.citizens.edges).toEqual([]);
    expect(brief(miss.entries)).toEqual([['CRITERION', 'birthDate', 'FOUND_BY', ['birthDate'], ['birthDate']]]);
  });

  it("by gender (an officer under DOSSIER_PROCESSING: only the case's applicant is searched)", async () => {
    const officer = {
      authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: AGENCY_A })}`,
      'x-purpose': 'DOSSIER_PROCESSING',
      'x-case-reference': applicantDossier,
    };
    const hit = await ask<List>(LIST, { f: { gender: applicant.gender } }, officer);
    expect(hit.res.errors).toBeUndefined();
    expect(brief(hit.entries)).toEqual([
      ['CITIZEN', String(applicant.id), 'FOUND_BY', ['gender'], ['gender']],
      ['CRITERION', 'gender', 'FOUND_BY', ['gender'], ['gender']],
    ]);
    expect(hit.entries.every((e) => e.case_reference === applicantDossier && e.purpose === 'DOSSIER_PROCESSING')).toBe(true);
    const miss = await ask<List>(LIST, { f: { gender: applicant.gender === 'MALE' ? 'FEMALE' : 'MALE' } }, officer);
    expect(miss.res.data!.citizens.edges).toEqual([]);
    expect(brief(miss.entries)).toEqual([['CRITERION', 'gender', 'FOUND_BY', ['gender'], ['gender']]]);
  });

  it('by name search: each person found, and the hashed search text', async () => {
    const p = people[7]!;
    const hit = await ask<List>(LIST, { f: { search: p.full_name } }, admin);
    expect(ids(hit.res)).toContain(p.id);
    const persons = hit.entries.filter((e) => e.subject_type === 'CITIZEN');
    expect(persons.map((e) => Number(e.subject_id)).sort((a, b) => a - b)).toEqual([...ids(hit.res)].sort((a, b) => a - b));
    expect(persons.every((e) => e.outcome === 'FOUND_BY' && e.fields.join() === 'fullName')).toBe(true);
    expect(JSON.stringify(hit.entries)).not.toContain(p.full_name);
    const miss = await ask<List>(LIST, { f: { search: 'Không Có Ai Tên Này' } }, admin);
    expect(miss.res.data!.citizens.edges).toEqual([]);
    expect(brief(miss.entries)).toEqual([['CRITERION', 'fullName', 'FOUND_BY', ['fullName'], ['fullName']]]);
  });

  it('by an ordering on a personal field: each person on the page found by it (no value to hash)', async () => {
    const { res, entries } = await ask<List>(`{ citizens(first: 3, orderBy: BIRTH_DATE) { edges { node { id } } } }`, {}, admin);
    expect(res.data!.citizens.edges).toHaveLength(3);
    expect(entries.map((e) => [e.subject_type, e.outcome, e.fields, e.found_by])).toEqual(Array.from({ length: 3 }, () => ['CITIZEN', 'FOUND_BY', ['birthDate'], ['birthDate']]));
  });

  it('households by address search: the households found, and the search text', async () => {
    const [h] = (await sql<{ id: number; address: string }>`select id, address from population.households order by id limit 1`.execute(
      gw.databases.connections.sources.population.root,
    )).rows;
    const { res, entries } = await ask<{ households: { edges: Array<{ node: { id: string } }> } }>(
      `query($s: String!) { households(first: 5, filter: { search: $s }, orderBy: ADDRESS) { edges { node { id } } } }`,
      { s: h!.address },
      admin,
    );
    expect(res.data!.households.edges.map((e) => e.node.id)).toContain(toGlobalId('Household', h!.id));
    expect(entries.find((e) => e.subject_type === 'HOUSEHOLD' && e.subject_id === String(h!.id))).toMatchObject({ outcome: 'FOUND_BY', fields: ['address'] });
    expect(criterionOf(entries, 'address', 'FOUND_BY')).toHaveLength(1);
  });
});

describe('fail closed', () => {
  it("a look-up's answer is withheld when its entries cannot be written", async () => {
    const audit = gw.databases.connections.sources.audit.root;
    const p = people[8]!;
    await sql`alter table audit.access_log rename to access_log_unwritable`.execute(audit);
    try {
      const res = await gw.query(`query($n: String!) { citizen(nationalId: $n) { id } agencies(first: 1) { edges { node { code } } } }`, { n: p.national_id }, admin);
      expect(res.data!.citizen).toBeNull();
      expect(res.data!.agencies).toBeTruthy();
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['citizen'], 'SOURCE_UNAVAILABLE']]);
    } finally {
      await sql`alter table audit.access_log_unwritable rename to access_log`.execute(audit);
    }
  });
});
