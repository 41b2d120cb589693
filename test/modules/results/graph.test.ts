import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { as } from '../../support/as.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { ok, sqlRows } from '../../support/graphql.js';
import { rowIdOf, walk, type Conn } from '../../support/relay.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let db: Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let ref: Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let pop: Kysely<any>;
/** Admin with a declared purpose: every result, every personal field of its holder. */
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.results.root;
  ref = gw.databases.connections.sources.reference.root;
  pop = gw.databases.connections.sources.population.root;
  admin = await as('admin', { purpose: 'CITIZEN_REQUEST', auth: gw.databases.config.auth });
});
afterAll(async () => gw?.close());

const rows = sqlRows(() => db);
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

interface ResultRow {
  id: number;
  number: string;
  kind: string;
  issuing_agency_id: number;
  holder_kind: 'CITIZEN' | 'BUSINESS';
  holder_id: number;
  dossier_id: number;
  issued_at: Date;
  valid_until: Date | null;
  status: string;
  document_sha256: string;
  holder_name: string;
  holder_national_id: string | null;
  holder_birth_date: string | null;
  holder_business_code: string | null;
}

/** The status as the gateway judges it at the time of the request. */
const STATUS_NOW = `(case when status = 'VALID' and valid_until is not null and valid_until <= now() then 'EXPIRED' else status end)`;

async function resultIds(where: string, orderBy = 'issued_at desc, id desc'): Promise<number[]> {
  return (await rows<{ id: number }>(sql`select id from results.procedure_results where ${sql.raw(where)} order by ${sql.raw(orderBy)}`)).map((r) => r.id);
}

async function resultRow(where: string, orderBy = 'id'): Promise<ResultRow> {
  const [row] = await rows<ResultRow>(sql`select * from results.procedure_results where ${sql.raw(where)} order by ${sql.raw(orderBy)} limit 1`);
  return row!;
}

async function agencyOf(id: number): Promise<{ id: number; code: string }> {
  const [row] = await rows<{ id: number; code: string }>(sql`select id, code from reference.agencies where id = ${id}`, ref);
  return row!;
}

async function busiestAgency(): Promise<{ id: number; code: string }> {
  const [row] = await rows<{ id: number }>(sql`select issuing_agency_id as id from results.procedure_results group by 1 order by count(*) desc, 1 limit 1`);
  return agencyOf(row!.id);
}

/** The citizen holding the most results, and their token. */
async function busiestCitizen(): Promise<{ id: number; nationalId: string; headers: Record<string, string> }> {
  const [top] = await rows<{ id: number }>(sql`select holder_id as id from results.procedure_results where holder_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`);
  const [person] = await rows<{ national_id: string }>(sql`select national_id from population.citizens where id = ${top!.id}`, pop);
  return { id: top!.id, nationalId: person!.national_id, headers: await as('citizen', { citizenId: person!.national_id, auth: gw.databases.config.auth }) };
}

const LIST = `query($filter: ProcedureResultFilter, $orderBy: ProcedureResultOrder, $first: Int, $after: String, $last: Int, $before: String) {
  procedureResults(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id number status } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type Node = { id: string; number: string; status: string };

async function page(variables: Record<string, unknown>, headers = admin): Promise<Conn<Node>> {
  return ok(await gw.query<{ procedureResults: Conn<Node> }>(LIST, variables, headers)).procedureResults;
}

/** Every result the filter selects through the API, in pages of 100. */
async function listed(filter: Record<string, unknown>, headers = admin, orderBy?: string): Promise<{ ids: number[]; totalCount: number }> {
  let totalCount = -1;
  const ids = await walk(async (args) => {
    const p = await page({ filter, orderBy, ...args }, headers);
    totalCount = p.totalCount!;
    return p;
  }, 'forward', 100);
  return { ids, totalCount };
}

async function expectFilter(filter: Record<string, unknown>, where: string, atLeast = 1): Promise<void> {
  const expected = await resultIds(where);
  expect(expected.length, where).toBeGreaterThanOrEqual(atLeast);
  const { ids, totalCount } = await listed(filter);
  expect(ids, where).toEqual(expected);
  expect(totalCount, where).toBe(expected.length);
}

describe('procedureResults as admin: each filter, totalCount equal to SQL', () => {
  it('no filter, kind, issuing agency, holder kind and issue dates', async () => {
    await expectFilter({}, 'true', 500);
    await expectFilter({ kind: ['LICENCE', 'DECISION'] }, `kind in ('LICENCE', 'DECISION')`, 20);
    const agency = await busiestAgency();
    await expectFilter({ issuingAgencyId: toGlobalId('Agency', agency.id) }, `issuing_agency_id = ${agency.id}`, 20);
    await expectFilter({ holderKind: 'BUSINESS' }, `holder_kind = 'BUSINESS'`, 10);
    await expectFilter({ issuedFrom: '2024-01-01T00:00:00+07:00', issuedTo: '2024-04-01T00:00:00+07:00' }, `issued_at >= '2024-01-01T00:00:00+07:00' and issued_at < '2024-04-01T00:00:00+07:00'`, 20);
  });

  it('status as it stands now: a result past its validity date is EXPIRED', async () => {
    for (const status of ['VALID', 'EXPIRED', 'REVOKED']) await expectFilter({ status: [status] }, `${STATUS_NOW} = '${status}'`, 5);
    await expectFilter({ status: ['REVOKED', 'EXPIRED'] }, `${STATUS_NOW} <> 'VALID'`, 10);
    // Recorded VALID on the seed day, lapsed since: EXPIRED in the list and in the field.
    const lapsed = await resultRow(`status = 'VALID' and valid_until <= now()`);
    const data = ok(await gw.query<{ procedureResult: { status: string } }>(`query($n: String!) { procedureResult(number: $n) { status } }`, { n: lapsed.number }, admin));
    expect(data.procedureResult.status).toBe('EXPIRED');
  });

  it('refuses a filter id of another type', async () => {
    const res = await gw.query(LIST, { filter: { issuingAgencyId: toGlobalId('Citizen', 1) } }, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('procedureResults: orders and keyset paging', () => {
  it.each([
    ['ISSUED_AT', 'issued_at desc, id desc'],
    ['NUMBER', 'number, id'],
  ])('%s both ways, every result once, in the order of SQL', async (orderBy, sqlOrder) => {
    const agency = await busiestAgency();
    const officer = await as('officer', { agency: agency.code, auth: gw.databases.config.auth });
    const expected = await resultIds(`issuing_agency_id = ${agency.id}`, sqlOrder);
    expect(expected.length).toBeGreaterThan(20);
    const fetch = (args: Record<string, unknown>) => page({ orderBy, ...args }, officer);
    expect(await walk(fetch, 'forward', 9)).toEqual(expected);
    expect(await walk(fetch, 'backward', 9)).toEqual(expected);
    // Default order: ISSUED_AT.
    if (orderBy === 'ISSUED_AT') expect((await page({ first: 5 }, officer)).edges.map((e) => rowIdOf(e.node.id))).toEqual(expected.slice(0, 5));
  });
});

describe('row scope: the holder their own, officers their agency’s, admins all, others none', () => {
  it('an officer: the results the own agency issued, in the list, by number and by node id', async () => {
    const agency = await busiestAgency();
    const officer = await as('officer', { agency: agency.code, auth: gw.databases.config.auth });
    const { ids, totalCount } = await listed({}, officer);
    expect(ids).toEqual(await resultIds(`issuing_agency_id = ${agency.id}`));
    expect(totalCount).toBe(ids.length);
    // Another agency's results, asked for by filter: none (not an error).
    const theirs = await resultRow(`issuing_agency_id <> ${agency.id}`);
    expect(await page({ filter: { issuingAgencyId: toGlobalId('Agency', theirs.issuing_agency_id) } }, officer)).toMatchObject({ totalCount: 0, edges: [] });

    const mine = await resultRow(`issuing_agency_id = ${agency.id}`);
    const byNumber = `query($n: String!) { procedureResult(number: $n) { id number } }`;
    expect(ok(await gw.query<{ procedureResult: { id: string } }>(byNumber, { n: mine.number }, officer)).procedureResult.id).toBe(toGlobalId('ProcedureResult', mine.id));
    const hidden = await gw.query(byNumber, { n: theirs.number }, officer);
    const missing = await gw.query(byNumber, { n: 'GP-NOPE-2024-000001' }, officer);
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data).toEqual({ procedureResult: null });
    expect(hidden.data).toEqual(missing.data);
    expect(hidden.extensions?.sqlStatements).toEqual(missing.extensions?.sqlStatements);

    const byId = `query($id: ID!) { node(id: $id) { id ... on ProcedureResult { number } } }`;
    const [max] = await rows<{ n: number }>(sql`select max(id)::int as n from results.procedure_results`);
    expect(ok(await gw.query<{ node: { number: string } }>(byId, { id: toGlobalId('ProcedureResult', mine.id) }, officer)).node.number).toBe(mine.number);
    const hiddenNode = await gw.query(byId, { id: toGlobalId('ProcedureResult', theirs.id) }, officer);
    const missingNode = await gw.query(byId, { id: toGlobalId('ProcedureResult', max!.n + 1) }, officer);
    expect(hiddenNode.data).toEqual({ node: null });
    expect(hiddenNode.data).toEqual(missingNode.data);
    expect(hiddenNode.extensions?.sqlStatements).toEqual(missingNode.extensions?.sqlStatements);
    // The admin sees it: it is hidden, not missing.
    expect(ok(await gw.query<{ node: { number: string } }>(byId, { id: toGlobalId('ProcedureResult', theirs.id) }, admin)).node.number).toBe(theirs.number);
  });

  it('a citizen: the results they hold, also as Citizen.results of their own record', async () => {
    const citizen = await busiestCitizen();
    const expected = await resultIds(`holder_kind = 'CITIZEN' and holder_id = ${citizen.id}`);
    expect(expected.length).toBeGreaterThan(1);
    const { ids, totalCount } = await listed({}, citizen.headers);
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    const me = ok(await gw.query<{ me: { results: Conn<{ id: string }> } }>(`{ me { results(first: 100) { totalCount edges { node { id } } } } }`, undefined, citizen.headers));
    expect(me.me.results.edges.map((e) => rowIdOf(e.node.id))).toEqual(expected);
    expect(me.me.results.totalCount).toBe(expected.length);
    const theirs = await resultRow(`not (holder_kind = 'CITIZEN' and holder_id = ${citizen.id})`);
    expect(ok(await gw.query<{ procedureResult: unknown }>(`query($n: String!) { procedureResult(number: $n) { id } }`, { n: theirs.number }, citizen.headers)).procedureResult).toBeNull();
  });

  it.each(['public', 'analyst', 'auditor'] as const)('%s: none, however asked', async (role) => {
    const headers = await as(role, { auth: role === 'public' ? undefined : gw.databases.config.auth });
    const any = await resultRow('true');
    const res = await gw.query<{ procedureResults: Conn<Node>; procedureResult: unknown; node: unknown }>(
      `query($n: String!, $id: ID!) { procedureResults(first: 5) { totalCount edges { cursor } } procedureResult(number: $n) { id } node(id: $id) { id } }`,
      { n: any.number, id: toGlobalId('ProcedureResult', any.id) },
      headers,
    );
    expect(ok(res)).toEqual({ procedureResults: { totalCount: 0, edges: [] }, procedureResult: null, node: null });
    // No statement on the results source: an empty scope asks nothing.
    expect(res.extensions?.sqlStatements?.bySource.results ?? 0).toBe(0);
  });
});

describe('a result’s fields', () => {
  const FIELDS = `id number kind status issuedAt validUntil documentSha256 holderKind
    printedHolder { __typename ... on PrintedCitizenHolder { fullName nationalId birthDate } ... on PrintedBusinessHolder { name code } }
    issuingAgency { code } dossier { code status completedAt }
    holder { __typename ... on Citizen { id nationalId } ... on Business { id code } }`;

  it.each(['CITIZEN', 'BUSINESS'] as const)('held by a %s: what the row and the other sources say', async (kind) => {
    const row = await resultRow(`holder_kind = '${kind}' and valid_until > now() and status = 'VALID'`);
    const data = ok(await gw.query<{ procedureResult: Record<string, unknown> }>(`query($n: String!) { procedureResult(number: $n) { ${FIELDS} } }`, { n: row.number }, admin));
    const agency = await agencyOf(row.issuing_agency_id);
    const [dossier] = await rows<{ code: string; completed_at: Date }>(sql`select code, completed_at from services.dossiers where id = ${row.dossier_id}`, gw.databases.connections.sources.services.root);
    expect(data.procedureResult).toEqual({
      id: toGlobalId('ProcedureResult', row.id),
      number: row.number,
      kind: row.kind,
      status: 'VALID',
      issuedAt: iso(row.issued_at),
      validUntil: iso(row.valid_until),
      documentSha256: row.document_sha256,
      holderKind: kind,
      printedHolder:
        kind === 'CITIZEN'
          ? { __typename: 'PrintedCitizenHolder', fullName: row.holder_name, nationalId: row.holder_national_id, birthDate: row.holder_birth_date }
          : { __typename: 'PrintedBusinessHolder', name: row.holder_name, code: row.holder_business_code },
      issuingAgency: { code: agency.code },
      dossier: { code: dossier!.code, status: 'COMPLETED', completedAt: iso(dossier!.completed_at) },
      holder:
        kind === 'CITIZEN'
          ? { __typename: 'Citizen', id: toGlobalId('Citizen', row.holder_id), nationalId: row.holder_national_id }
          : { __typename: 'Business', id: toGlobalId('Business', row.holder_id), code: row.holder_business_code },
    });
  });

  it("an officer reads the holder's name, not the national id or birth date without a purpose; ProcedureResult.dossier follows the dossier scope", async () => {
    const row = await resultRow(`holder_kind = 'CITIZEN'`);
    const agency = await agencyOf(row.issuing_agency_id);
    const officer = await as('officer', { agency: agency.code, auth: gw.databases.config.auth });
    const res = await gw.query<{ procedureResult: { printedHolder: Record<string, unknown>; dossier: { code: string } } }>(
      `query($n: String!) { procedureResult(number: $n) { printedHolder { ... on PrintedCitizenHolder { fullName nationalId birthDate } } dossier { code } } }`,
      { n: row.number },
      officer,
    );
    expect(res.data!.procedureResult.printedHolder).toEqual({ fullName: row.holder_name, nationalId: null, birthDate: null });
    expect(res.data!.procedureResult.dossier.code).toMatch(/^H17\./);
    expect((res.errors ?? []).map((e) => [e.path?.at(-1), e.extensions?.code]).sort()).toEqual([
      ['birthDate', 'FORBIDDEN'],
      ['nationalId', 'FORBIDDEN'],
    ]);
  });
});

describe('relations both ways, batched', () => {
  it('Dossier.result for a page of dossiers, with the result’s dossier, holder and agency: one statement per source and level', async () => {
    const res = await gw.query<{ dossiers: Conn<{ id: string; status: string; result: { number: string; dossier: { id: string }; holder: { __typename: string; id: string }; issuingAgency: { code: string } } | null }> }>(
      `{ dossiers(first: 60) { edges { node { id status
        result { number dossier { id } holder { __typename ... on Citizen { id } ... on Business { id } } issuingAgency { code } } } } } }`,
      undefined,
      admin,
    );
    const dossiers = ok(res).dossiers.edges.map((e) => e.node);
    const numbers = new Map(
      (await rows<{ dossier_id: number; number: string; holder_kind: string; holder_id: number }>(sql`select dossier_id, number, holder_kind, holder_id from results.procedure_results where dossier_id = any(${dossiers.map((d) => rowIdOf(d.id))}::int[])`)).map((r) => [r.dossier_id, r]),
    );
    let withResult = 0;
    const kinds = new Set<string>();
    for (const d of dossiers) {
      const expected = numbers.get(rowIdOf(d.id));
      expect(d.status === 'COMPLETED', d.id).toBe(expected !== undefined);
      if (!expected) {
        expect(d.result).toBeNull();
        continue;
      }
      withResult += 1;
      kinds.add(d.result!.holder.__typename);
      expect(d.result!.number).toBe(expected.number);
      // Both ways: the result leads back to its dossier, and to the dossier's applicant.
      expect(d.result!.dossier.id).toBe(d.id);
      expect(d.result!.holder.id).toBe(toGlobalId(expected.holder_kind === 'CITIZEN' ? 'Citizen' : 'Business', expected.holder_id));
    }
    expect(withResult).toBeGreaterThan(30);
    expect(kinds).toEqual(new Set(['Citizen', 'Business']));
    // services: the page, then the results' dossiers (another loader); results: one for all the page's results.
    expect(res.extensions!.sqlStatements!.bySource).toEqual({ services: 2, results: 1, population: 1, business: 1, reference: 1 });
  });

  it('Citizen.results and Business.results for many holders: one page statement and one count statement per kind', async () => {
    const citizens = (await rows<{ id: number }>(sql`select holder_id as id from results.procedure_results where holder_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 15`)).map((r) => r.id);
    const businesses = (await rows<{ id: number }>(sql`select holder_id as id from results.procedure_results where holder_kind = 'BUSINESS' group by 1 order by count(*) desc, 1 limit 8`)).map((r) => r.id);
    const ids = [...citizens.map((id) => toGlobalId('Citizen', id)), ...businesses.map((id) => toGlobalId('Business', id))];
    const res = await gw.query<{ nodes: Array<{ __typename: string; id: string; results: Conn<{ number: string }> }> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
        ... on Citizen { results(first: 3) { totalCount edges { node { number } } } }
        ... on Business { results(first: 3, orderBy: NUMBER) { totalCount edges { node { number } } } } } }`,
      { ids },
      admin,
    );
    const nodes = ok(res).nodes;
    expect(nodes.map((n) => n.id)).toEqual(ids);
    for (const node of nodes) {
      const kind = node.__typename === 'Citizen' ? 'CITIZEN' : 'BUSINESS';
      const order = kind === 'CITIZEN' ? 'issued_at desc, id desc' : 'number, id';
      const expected = await rows<{ number: string }>(sql`select number from results.procedure_results where holder_kind = ${kind} and holder_id = ${rowIdOf(node.id)} order by ${sql.raw(order)}`);
      expect(expected.length).toBeGreaterThan(0);
      expect(node.results.edges.map((e) => e.node.number)).toEqual(expected.slice(0, 3).map((r) => r.number));
      expect(node.results.totalCount).toBe(expected.length);
    }
    expect(res.extensions!.sqlStatements!.bySource).toEqual({ population: 1, business: 1, results: 4 });
  });

  it('Dossier.result and Business.results follow the result scope: an officer of another agency sees none', async () => {
    const row = await resultRow(`holder_kind = 'BUSINESS'`);
    const agency = await agencyOf(row.issuing_agency_id);
    const [other] = await rows<{ code: string }>(sql`select code from reference.agencies where id <> ${agency.id} order by id limit 1`, ref);
    const query = `query($b: ID!) { node(id: $b) { ... on Business { results(first: 50) { totalCount edges { node { number } } } } } }`;
    const own = ok(await gw.query<{ node: { results: Conn<{ number: string }> } }>(query, { b: toGlobalId('Business', row.holder_id) }, await as('officer', { agency: agency.code, auth: gw.databases.config.auth })));
    expect(own.node.results.edges.map((e) => e.node.number)).toContain(row.number);
    expect(own.node.results.totalCount).toBe((await resultIds(`holder_kind = 'BUSINESS' and holder_id = ${row.holder_id} and issuing_agency_id = ${agency.id}`)).length);
    const foreign = await as('officer', { agency: other!.code, auth: gw.databases.config.auth });
    const theirs = ok(await gw.query<{ node: { results: Conn<{ number: string }> } }>(query, { b: toGlobalId('Business', row.holder_id) }, foreign));
    expect(theirs.node.results.edges.map((e) => e.node.number)).not.toContain(row.number);
    // The dossier itself is hidden from that officer too (another agency's), and so is Dossier.result through the admin's view of it.
    const dossier = `query($id: ID!) { node(id: $id) { ... on Dossier { result { number } } } }`;
    expect(ok(await gw.query<{ node: unknown }>(dossier, { id: toGlobalId('Dossier', row.dossier_id) }, foreign)).node).toBeNull();
    expect(ok(await gw.query<{ node: { result: { number: string } } }>(dossier, { id: toGlobalId('Dossier', row.dossier_id) }, admin)).node.result.number).toBe(row.number);
  });
});
