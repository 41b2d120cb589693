import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { fold, ok, sqlRows } from '../../support/graphql.js';
import { rowIdOf, walk, type Conn } from '../../support/relay.js';

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let db: Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let pop: Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let biz: Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
let ref: Kysely<any>;
/** Admin with a declared purpose: all dossiers, every personal field of their applicants. */
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.services.root;
  pop = gw.databases.connections.sources.population.root;
  biz = gw.databases.connections.sources.business.root;
  ref = gw.databases.connections.sources.reference.root;
  admin = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
});
afterAll(async () => gw?.close());

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const rows = sqlRows(() => db);

interface DossierRow {
  id: number;
  code: string;
  procedure_id: number;
  agency_id: number;
  applicant_kind: 'CITIZEN' | 'BUSINESS';
  applicant_id: number;
  channel: string;
  status: string;
  submitted_at: Date;
  due_at: Date;
  completed_at: Date | null;
  ward_id: number;
}

async function dossierIds(where: string, orderBy = 'submitted_at desc, id desc'): Promise<number[]> {
  return (await rows<{ id: number }>(sql`select id from services.dossiers where ${sql.raw(where)} order by ${sql.raw(orderBy)}`)).map((r) => r.id);
}

async function dossierRow(where: string, orderBy = 'id'): Promise<DossierRow> {
  const [row] = await rows<DossierRow>(sql`select * from services.dossiers where ${sql.raw(where)} order by ${sql.raw(orderBy)} limit 1`);
  return row!;
}

async function agencyIdOf(code: string): Promise<number> {
  const [row] = await rows<{ id: number }>(sql`select id from reference.agencies where code = ${code}`, ref);
  return row!.id;
}

async function agencyCodes(): Promise<Map<number, string>> {
  return new Map((await rows<{ id: number; code: string }>(sql`select id, code from reference.agencies`, ref)).map((r) => [r.id, r.code]));
}

/** Overdue as the gateway judges it: closed after the due time, or still open past it now. */
const OVERDUE = `((completed_at is null and due_at < now()) or (completed_at is not null and completed_at > due_at))`;

interface DossierNode {
  id: string;
  code: string;
  status: string;
  channel: string;
  submittedAt: string;
  dueAt: string;
  completedAt: string | null;
}

const DOSSIERS = `query($filter: DossierFilter, $orderBy: DossierOrder, $first: Int, $after: String, $last: Int, $before: String) {
  dossiers(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id code status channel submittedAt dueAt completedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function dossiersPage(variables: Record<string, unknown>, headers = admin): Promise<Conn<DossierNode>> {
  return ok(await gw.query<{ dossiers: Conn<DossierNode> }>(DOSSIERS, variables, headers)).dossiers;
}

/** Every dossier the filter selects through the API (pages of 100, SUBMITTED_AT order). */
async function listed(filter: Record<string, unknown>, headers = admin): Promise<{ ids: number[]; totalCount: number }> {
  let totalCount = -1;
  const ids = await walk(async (args) => {
    const page = await dossiersPage({ filter, ...args }, headers);
    totalCount = page.totalCount!;
    return page;
  }, 'forward', 100);
  return { ids, totalCount };
}

async function expectFilter(filter: Record<string, unknown>, where: string, atLeast = 1): Promise<void> {
  const expected = await dossierIds(where);
  expect(expected.length).toBeGreaterThanOrEqual(atLeast);
  const { ids, totalCount } = await listed(filter);
  expect(ids).toEqual(expected);
  expect(totalCount).toBe(expected.length);
}

describe('dossiers as admin: each filter, totalCount equal to SQL', () => {
  it('no filter: all of them', async () => {
    await expectFilter({}, 'true', 800);
  });

  it('agencyId and procedureId', async () => {
    const [agency] = await rows<{ agency_id: number }>(sql`select agency_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    await expectFilter({ agencyId: toGlobalId('Agency', agency!.agency_id) }, `agency_id = ${agency!.agency_id}`, 50);
    const [procedure] = await rows<{ procedure_id: number }>(sql`select procedure_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    await expectFilter({ procedureId: toGlobalId('Procedure', procedure!.procedure_id) }, `procedure_id = ${procedure!.procedure_id}`, 5);
  });

  it('a list of statuses: any of them', async () => {
    await expectFilter({ status: ['PROCESSING', 'REJECTED'] }, `status in ('PROCESSING', 'REJECTED')`, 5);
    await expectFilter({ status: ['WITHDRAWN'] }, `status = 'WITHDRAWN'`, 2);
    // Every open status: the rows without completed_at.
    await expectFilter({ status: ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'] }, `status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED')`, 1);
    await expectFilter({ status: ['COMPLETED', 'PROCESSING'] }, `status in ('COMPLETED', 'PROCESSING')`, 100);
  });

  it('channel', async () => {
    await expectFilter({ channel: 'POST' }, `channel = 'POST'`, 5);
    await expectFilter({ channel: 'COUNTER' }, `channel = 'COUNTER'`, 50);
  });

  it('applicantId: a Citizen and a Business', async () => {
    const [citizen] = await rows<{ applicant_id: number }>(
      sql`select applicant_id from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`,
    );
    await expectFilter({ applicantId: toGlobalId('Citizen', citizen!.applicant_id) }, `applicant_kind = 'CITIZEN' and applicant_id = ${citizen!.applicant_id}`, 2);
    const [business] = await rows<{ applicant_id: number }>(
      sql`select applicant_id from services.dossiers where applicant_kind = 'BUSINESS' group by 1 order by count(*) desc, 1 limit 1`,
    );
    await expectFilter({ applicantId: toGlobalId('Business', business!.applicant_id) }, `applicant_kind = 'BUSINESS' and applicant_id = ${business!.applicant_id}`, 2);
    // The same row id as the other kind is another applicant: the kind is part of the filter.
    const sameIdOtherKind = await dossierIds(`applicant_kind = 'CITIZEN' and applicant_id = ${business!.applicant_id}`);
    const { ids } = await listed({ applicantId: toGlobalId('Citizen', business!.applicant_id) });
    expect(ids).toEqual(sameIdOtherKind);
  });

  it('submittedFrom (inclusive) and submittedTo (exclusive)', async () => {
    const [a] = await rows<{ t: Date }>(sql`select submitted_at as t from services.dossiers order by submitted_at, id offset 200 limit 1`);
    const [b] = await rows<{ t: Date }>(sql`select submitted_at as t from services.dossiers order by submitted_at, id offset 500 limit 1`);
    const from = iso(a!.t)!;
    const to = iso(b!.t)!;
    await expectFilter({ submittedFrom: from, submittedTo: to }, `submitted_at >= '${from}' and submitted_at < '${to}'`, 100);
    const { ids } = await listed({ submittedFrom: from, submittedTo: to });
    // The dossier submitted exactly at `from` is in, the one exactly at `to` is out.
    expect(ids).toContain((await dossierRow(`submitted_at = '${from}'`)).id);
    expect(ids).not.toContain((await dossierRow(`submitted_at = '${to}'`)).id);
    await expectFilter({ submittedFrom: from }, `submitted_at >= '${from}'`, 100);
    await expectFilter({ submittedTo: to }, `submitted_at < '${to}'`, 100);
  });

  it('dueBefore (exclusive)', async () => {
    const [a] = await rows<{ t: Date }>(sql`select due_at as t from services.dossiers order by due_at, id offset 150 limit 1`);
    const due = iso(a!.t)!;
    await expectFilter({ dueBefore: due }, `due_at < '${due}'`, 100);
  });

  it('overdue, judged at the request time, and its complement', async () => {
    await expectFilter({ overdue: true }, OVERDUE, 1);
    await expectFilter({ overdue: false }, `not ${OVERDUE}`, 100);
    await expectFilter({ overdue: true, channel: 'ONLINE' }, `${OVERDUE} and channel = 'ONLINE'`, 1);
  });

  it('wardId', async () => {
    const [ward] = await rows<{ ward_id: number }>(sql`select ward_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    await expectFilter({ wardId: toGlobalId('AdministrativeUnit', ward!.ward_id) }, `ward_id = ${ward!.ward_id}`, 5);
  });
});

describe('dossiers: orders and keyset paging', () => {
  const orders = {
    SUBMITTED_AT: 'submitted_at desc, id desc',
    DUE_AT: 'due_at, id',
    CODE: 'code, id',
  } as const;

  it.each(Object.keys(orders) as Array<keyof typeof orders>)('visits every dossier of an agency exactly once by %s, forward and backward', async (orderBy) => {
    const [agency] = await rows<{ agency_id: number }>(sql`select agency_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    const filter = { agencyId: toGlobalId('Agency', agency!.agency_id) };
    const expected = await dossierIds(`agency_id = ${agency!.agency_id}`, orders[orderBy]);
    const fetchPage = (args: Record<string, unknown>) => dossiersPage({ filter, orderBy, ...args });
    const forward = await walk(fetchPage, 'forward', 23);
    expect(forward).toEqual(expected);
    expect(new Set(forward).size).toBe(forward.length);
    expect(await walk(fetchPage, 'backward', 23)).toEqual(expected);

    const page = await dossiersPage({ filter, orderBy, first: 100 });
    expect(page.totalCount).toBe(expected.length);
    const keys = page.edges.map((e) => (orderBy === 'CODE' ? e.node.code : orderBy === 'DUE_AT' ? e.node.dueAt : e.node.submittedAt));
    // ISO times in UTC compare as strings; codes are ASCII and compared in the database's order above.
    if (orderBy === 'SUBMITTED_AT') expect(keys).toEqual([...keys].sort().reverse());
    if (orderBy === 'DUE_AT') expect(keys).toEqual([...keys].sort());
  });

  it('refuses a malformed cursor and a cursor of another ordering', async () => {
    const bad = await gw.query(DOSSIERS, { after: 'WyJkb3NzaWVyOnN1Ym1pdHRlZCJd' }, admin);
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const byCode = await dossiersPage({ orderBy: 'CODE', first: 1 });
    const other = await gw.query(DOSSIERS, { orderBy: 'DUE_AT', after: byCode.pageInfo.endCursor }, admin);
    expect(other.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

const DOSSIER_FIELDS = `id code status channel submittedAt dueAt completedAt timeliness ward { name } procedure { code } agency { code }`;

async function expectDossier(node: Record<string, unknown>, row: DossierRow, at: Date): Promise<void> {
  const [ward] = await rows<{ name: string }>(sql`select name from reference.administrative_units where id = ${row.ward_id}`, ref);
  const [procedure] = await rows<{ code: string }>(sql`select code from services.procedures where id = ${row.procedure_id}`);
  const timeliness =
    row.completed_at === null
      ? new Date(row.due_at) < at
        ? 'OPEN_OVERDUE'
        : 'OPEN'
      : new Date(row.completed_at) <= new Date(row.due_at)
        ? 'ON_TIME'
        : 'LATE';
  expect(node).toEqual({
    id: toGlobalId('Dossier', row.id),
    code: row.code,
    status: row.status,
    channel: row.channel,
    submittedAt: iso(row.submitted_at),
    dueAt: iso(row.due_at),
    completedAt: iso(row.completed_at),
    timeliness,
    ward: { name: ward!.name },
    procedure: { code: procedure!.code },
    agency: { code: (await agencyCodes()).get(row.agency_id) },
  });
}

describe('one dossier', () => {
  it('dossier(code) as admin, for a closed late, a closed on time and an open dossier', async () => {
    for (const where of ['completed_at > due_at', 'completed_at <= due_at', 'completed_at is null']) {
      const row = await dossierRow(where);
      const data = ok(await gw.query<{ dossier: Record<string, unknown> }>(`query($c: String!) { dossier(code: $c) { ${DOSSIER_FIELDS} } }`, { c: row.code }, admin));
      await expectDossier(data.dossier, row, new Date());
    }
    const missing = await gw.query<{ dossier: unknown }>(`{ dossier(code: "H00.00-000000-0000000") { id } }`, undefined, admin);
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.dossier).toBeNull();
  });

  it('node(id) refetches a dossier and a procedure', async () => {
    const row = await dossierRow('id = 77');
    const data = ok(await gw.query<{ node: Record<string, unknown> }>(`query($id: ID!) { node(id: $id) { __typename ... on Dossier { ${DOSSIER_FIELDS} } } }`, { id: toGlobalId('Dossier', 77) }, admin));
    const { __typename, ...fields } = data.node;
    expect(__typename).toBe('Dossier');
    await expectDossier(fields, row, new Date());

    const [procedure] = await rows<{ id: number; code: string; name: string; field: string; service_level: string; processing_days: number; fee: number | string; agency_id: number }>(
      sql`select * from services.procedures where id = 5`,
    );
    const p = ok(
      await gw.query<{ node: Record<string, unknown> }>(
        `query($id: ID!) { node(id: $id) { __typename id ... on Procedure { code name field serviceLevel processingDays fee agency { code } } } }`,
        { id: toGlobalId('Procedure', 5) },
      ),
    );
    expect(p.node).toEqual({
      __typename: 'Procedure',
      id: toGlobalId('Procedure', 5),
      code: procedure!.code,
      name: procedure!.name,
      field: procedure!.field,
      serviceLevel: procedure!.service_level,
      processingDays: procedure!.processing_days,
      fee: Number(procedure!.fee),
      agency: { code: (await agencyCodes()).get(procedure!.agency_id) },
    });
  });

  it('dossierStatus(code) for the public: status and dates only', async () => {
    const row = await dossierRow('completed_at is not null', 'id desc');
    const data = ok(
      await gw.query<{ dossierStatus: Record<string, unknown> }>(`query($c: String!) { dossierStatus(code: $c) { code status submittedAt dueAt completedAt } }`, { c: row.code }),
    );
    expect(data.dossierStatus).toEqual({ code: row.code, status: row.status, submittedAt: iso(row.submitted_at), dueAt: iso(row.due_at), completedAt: iso(row.completed_at) });
    // The lookup type has nothing else to ask for.
    const type = ok(await gw.query<{ __type: { fields: Array<{ name: string }> } }>(`{ __type(name: "DossierStatusLookup") { fields { name } } }`));
    expect(type.__type.fields.map((f) => f.name).sort()).toEqual(['code', 'completedAt', 'dueAt', 'status', 'submittedAt']);
    const applicant = await gw.query(`query($c: String!) { dossierStatus(code: $c) { applicant { __typename } } }`, { c: row.code });
    expect(applicant.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    // The full dossier is not the public's: null, as for a missing one; and an empty list.
    const full = await gw.query<{ dossier: unknown }>(`query($c: String!) { dossier(code: $c) { id } }`, { c: row.code });
    expect(full.errors).toBeUndefined();
    expect(full.data!.dossier).toBeNull();
    expect(await dossiersPage({}, {})).toMatchObject({ totalCount: 0, edges: [] });
    const unknown = ok(await gw.query<{ dossierStatus: unknown }>(`{ dossierStatus(code: "H00.00-000000-0000000") { code } }`));
    expect(unknown.dossierStatus).toBeNull();
  });

  it('Dossier.applicant: both members of the union', async () => {
    const query = `query($c: String!) { dossier(code: $c) { applicant { __typename
      ... on Citizen { id fullName nationalId birthDate ward { name } }
      ... on Business { id code name kind } } } }`;
    const byCitizen = await dossierRow(`applicant_kind = 'CITIZEN'`);
    const [citizen] = await rows<{ full_name: string; national_id: string; birth_date: string; ward_id: number }>(
      sql`select full_name, national_id, birth_date, ward_id from population.citizens where id = ${byCitizen.applicant_id}`,
      pop,
    );
    const [ward] = await rows<{ name: string }>(sql`select name from reference.administrative_units where id = ${citizen!.ward_id}`, ref);
    const c = ok(await gw.query<{ dossier: { applicant: Record<string, unknown> } }>(query, { c: byCitizen.code }, admin));
    expect(c.dossier.applicant).toEqual({
      __typename: 'Citizen',
      id: toGlobalId('Citizen', byCitizen.applicant_id),
      fullName: citizen!.full_name,
      nationalId: citizen!.national_id,
      birthDate: citizen!.birth_date,
      ward: { name: ward!.name },
    });

    const byBusiness = await dossierRow(`applicant_kind = 'BUSINESS'`);
    const [business] = await rows<{ code: string; name: string; kind: string }>(sql`select code, name, kind from business.businesses where id = ${byBusiness.applicant_id}`, biz);
    const b = ok(await gw.query<{ dossier: { applicant: Record<string, unknown> } }>(query, { c: byBusiness.code }, admin));
    expect(b.dossier.applicant).toEqual({ __typename: 'Business', id: toGlobalId('Business', byBusiness.applicant_id), ...business });
  });

  it('events in seq order, with the agency that acted, paged', async () => {
    const [busiest] = await rows<{ dossier_id: number }>(sql`select dossier_id from services.dossier_events group by 1 order by count(*) desc, 1 limit 1`);
    const events = await rows<{ id: number; seq: number; kind: string; occurred_at: Date; note: string; agency_id: number }>(
      sql`select * from services.dossier_events where dossier_id = ${busiest!.dossier_id} order by seq`,
    );
    expect(events.length).toBeGreaterThan(3);
    const codes = await agencyCodes();
    const expected = events.map((e) => ({ seq: e.seq, kind: e.kind, occurredAt: iso(e.occurred_at), note: e.note, agency: { code: codes.get(e.agency_id) } }));
    const row = await dossierRow(`id = ${busiest!.dossier_id}`);
    const query = `query($c: String!, $first: Int, $after: String) { dossier(code: $c) { events(first: $first, after: $after) {
      totalCount edges { node { seq kind occurredAt note agency { code } } } pageInfo { hasNextPage endCursor } } } }`;
    type Events = { dossier: { events: Conn<Record<string, unknown>> } };
    const all = ok(await gw.query<Events>(query, { c: row.code }, admin));
    expect(all.dossier.events.totalCount).toBe(events.length);
    expect(all.dossier.events.edges.map((e) => e.node)).toEqual(expected);
    const seen: Array<Record<string, unknown>> = [];
    let after: string | null = null;
    for (;;) {
      const page: Events = ok(await gw.query<Events>(query, { c: row.code, first: 2, after }, admin));
      seen.push(...page.dossier.events.edges.map((e) => e.node));
      if (!page.dossier.events.pageInfo.hasNextPage) break;
      after = page.dossier.events.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });
});

interface ProcedureNode {
  id: string;
  code: string;
  name: string;
  agency: { code: string };
}

describe('procedures', () => {
  const PROCEDURES = `query($filter: ProcedureFilter, $orderBy: ProcedureOrder, $after: String) {
    procedures(filter: $filter, orderBy: $orderBy, first: 100, after: $after) {
      totalCount edges { node { id code name agency { code } } } pageInfo { hasNextPage endCursor } } }`;

  async function allProcedures(filter: Record<string, unknown>, orderBy = 'NAME'): Promise<{ nodes: ProcedureNode[]; totalCount: number }> {
    const nodes: ProcedureNode[] = [];
    let after: string | null = null;
    let totalCount: number | undefined;
    for (;;) {
      const page: { procedures: Conn<ProcedureNode> } = ok(await gw.query<{ procedures: Conn<ProcedureNode> }>(PROCEDURES, { filter, orderBy, after }));
      nodes.push(...page.procedures.edges.map((e) => e.node));
      totalCount = page.procedures.totalCount!;
      if (!page.procedures.pageInfo.hasNextPage) break;
      after = page.procedures.pageInfo.endCursor;
    }
    return { nodes, totalCount: totalCount! };
  }

  async function expectProcedures(filter: Record<string, unknown>, where: string, atLeast: number, orderBy = 'NAME'): Promise<void> {
    const expected = await rows<{ id: number; agency_id: number }>(
      sql`select id, agency_id from services.procedures where ${sql.raw(where)} order by ${sql.raw(orderBy === 'NAME' ? 'name_sort, id' : 'code, id')}`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(atLeast);
    const codes = await agencyCodes();
    const { nodes, totalCount } = await allProcedures(filter, orderBy);
    expect(nodes.map((n) => rowIdOf(n.id))).toEqual(expected.map((r) => r.id));
    expect(nodes.map((n) => n.agency.code)).toEqual(expected.map((r) => codes.get(r.agency_id)));
    expect(totalCount).toBe(expected.length);
  }

  it('lists all of them, by name and by code, each with its agency', async () => {
    await expectProcedures({}, 'true', 100);
    await expectProcedures({}, 'true', 100, 'CODE');
  });

  it('filters by agency, service level and field', async () => {
    const [agency] = await rows<{ agency_id: number }>(sql`select agency_id from services.procedures group by 1 order by count(*) desc, 1 limit 1`);
    await expectProcedures({ agencyId: toGlobalId('Agency', agency!.agency_id) }, `agency_id = ${agency!.agency_id}`, 3);
    await expectProcedures({ serviceLevel: 'FULL_ONLINE' }, `service_level = 'FULL_ONLINE'`, 3);
    await expectProcedures({ serviceLevel: 'PARTIAL_ONLINE' }, `service_level = 'PARTIAL_ONLINE'`, 3);
    const [field] = await rows<{ field: string }>(sql`select field from services.procedures group by 1 order by count(*) desc, 1 limit 1`);
    await expectProcedures({ field: field!.field }, `field = '${field!.field.replace(/'/g, "''")}'`, 2);
  });

  it('searches names without diacritics', async () => {
    const all = await rows<{ id: number; name: string }>(sql`select id, name from services.procedures`);
    const seeded = all.find((p) => /[đĐ]/.test(p.name)) ?? all[0]!;
    const words = fold(seeded.name).split(' ').slice(0, 3);
    const expected = new Set(all.filter((p) => words.every((w) => fold(p.name).includes(w))).map((p) => p.id));
    const { nodes, totalCount } = await allProcedures({ search: words.join(' ') });
    expect(nodes.map((n) => rowIdOf(n.id))).toContain(seeded.id);
    expect(new Set(nodes.map((n) => rowIdOf(n.id)))).toEqual(expected);
    expect(totalCount).toBe(expected.size);
  });

  it('procedure(code)', async () => {
    const [row] = await rows<{ code: string; name: string }>(sql`select code, name from services.procedures order by id desc limit 1`);
    const data = ok(await gw.query<{ procedure: { code: string; name: string } }>(`query($c: String!) { procedure(code: $c) { code name } }`, { c: row!.code }));
    expect(data.procedure).toEqual({ code: row!.code, name: row!.name });
  });
});

describe('related dossiers and procedures, batched', () => {
  // Two requests: both relations in one document pass the query cost limit.
  it('Agency.dossiers for a page of agencies: one services statement', async () => {
    const res = await gw.query<{ agencies: Conn<{ id: string; dossiers: Conn<{ code: string }> }> }>(
      `{ agencies(first: 100, orderBy: CODE) { edges { node { id dossiers(first: 3) { edges { node { code } } pageInfo { hasNextPage } } } } } }`,
      undefined,
      admin,
    );
    const agencies = ok(res).agencies.edges.map((e) => e.node);
    const [count] = await rows<{ n: number }>(sql`select count(*)::int as n from reference.agencies`, ref);
    expect(agencies).toHaveLength(count!.n);
    let withDossiers = 0;
    for (const agency of agencies) {
      const dossiers = await rows<{ code: string }>(
        sql`select code from services.dossiers where agency_id = ${rowIdOf(agency.id)} order by submitted_at desc, id desc limit 4`,
      );
      expect(agency.dossiers.edges.map((e) => e.node.code)).toEqual(dossiers.slice(0, 3).map((d) => d.code));
      expect(agency.dossiers.pageInfo.hasNextPage).toBe(dossiers.length > 3);
      if (dossiers.length > 0) withDossiers += 1;
    }
    expect(withDossiers).toBeGreaterThan(10);
    // The agencies (reference), then one statement for all their dossiers.
    expect(res.extensions!.sqlStatements!.bySource).toEqual({ reference: 1, services: 1 });
  });

  it('Agency.procedures for a page of agencies: one services statement', async () => {
    const res = await gw.query<{ agencies: Conn<{ id: string; procedures: Conn<{ code: string; agency: { id: string } }> }> }>(
      `{ agencies(first: 100, orderBy: CODE) { edges { node { id procedures(first: 4) { edges { node { code agency { id } } } pageInfo { hasNextPage } } } } } }`,
      undefined,
      admin,
    );
    const agencies = ok(res).agencies.edges.map((e) => e.node);
    let withProcedures = 0;
    for (const agency of agencies) {
      const procedures = await rows<{ code: string }>(sql`select code from services.procedures where agency_id = ${rowIdOf(agency.id)} order by name_sort, id limit 5`);
      expect(agency.procedures.edges.map((e) => e.node.code)).toEqual(procedures.slice(0, 4).map((p) => p.code));
      expect(agency.procedures.pageInfo.hasNextPage).toBe(procedures.length > 4);
      // Procedure.agency leads back to the agency (from the request's loader cache).
      expect(agency.procedures.edges.every((e) => e.node.agency.id === agency.id)).toBe(true);
      if (procedures.length > 0) withProcedures += 1;
    }
    expect(withProcedures).toBeGreaterThan(10);
    expect(res.extensions!.sqlStatements!.bySource.services).toBe(1);
    expect(res.extensions!.sqlStatements!.bySource.reference).toBeLessThanOrEqual(2);
  });

  it('Agency.dossiers in another order, counted', async () => {
    const [agency] = await rows<{ agency_id: number }>(sql`select agency_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    const code = (await agencyCodes()).get(agency!.agency_id)!;
    const data = ok(
      await gw.query<{ agency: { dossiers: Conn<{ code: string }>; procedures: { totalCount: number } } }>(
        `query($c: String!) { agency(code: $c) { dossiers(first: 10, orderBy: DUE_AT) { totalCount edges { node { code } } } procedures { totalCount } } }`,
        { c: code },
        admin,
      ),
    );
    const expected = await rows<{ code: string }>(sql`select code from services.dossiers where agency_id = ${agency!.agency_id} order by due_at, id limit 10`);
    expect(data.agency.dossiers.edges.map((e) => e.node.code)).toEqual(expected.map((r) => r.code));
    expect(data.agency.dossiers.totalCount).toBe((await dossierIds(`agency_id = ${agency!.agency_id}`)).length);
    const [procedures] = await rows<{ n: number }>(sql`select count(*)::int as n from services.procedures where agency_id = ${agency!.agency_id}`);
    expect(data.agency.procedures.totalCount).toBe(procedures!.n);
  });

  it('Citizen.dossiers and Business.dossiers for many applicants: one services statement per kind', async () => {
    const citizens = (await rows<{ applicant_id: number }>(
      sql`select applicant_id from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 20`,
    )).map((r) => r.applicant_id);
    const businesses = (await rows<{ applicant_id: number }>(
      sql`select applicant_id from services.dossiers where applicant_kind = 'BUSINESS' group by 1 order by count(*) desc, 1 limit 10`,
    )).map((r) => r.applicant_id);
    const ids = [...citizens.map((id) => toGlobalId('Citizen', id)), ...businesses.map((id) => toGlobalId('Business', id))];
    const res = await gw.query<{ nodes: Array<{ __typename: string; id: string; dossiers: Conn<{ code: string }> }> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
        ... on Citizen { dossiers(first: 5) { edges { node { code } } } }
        ... on Business { dossiers(first: 5) { edges { node { code } } } } } }`,
      { ids },
      admin,
    );
    const nodes = ok(res).nodes;
    expect(nodes.map((n) => n.id)).toEqual(ids);
    for (const node of nodes) {
      const kind = node.__typename === 'Citizen' ? 'CITIZEN' : 'BUSINESS';
      const expected = await rows<{ code: string }>(
        sql`select code from services.dossiers where applicant_kind = ${kind} and applicant_id = ${rowIdOf(node.id)} order by submitted_at desc, id desc limit 5`,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(node.dossiers.edges.map((e) => e.node.code)).toEqual(expected.map((r) => r.code));
    }
    expect(res.extensions!.sqlStatements!.bySource).toEqual({ population: 1, business: 1, services: 2 });
  });
});

interface Rates {
  total: number;
  online: number;
  resolved: number;
  onTime: number;
  overdue: number;
  onlineRate: number;
  onTimeRate: number;
  overdueRate: number;
}

const RATES = 'total online resolved onTime overdue onlineRate onTimeRate overdueRate';

interface SqlRates {
  total: number;
  online: number;
  resolved: number;
  on_time: number;
  overdue: number;
}

/** The figures counted directly in SQL, per the definitions of dossier-conditions.ts. */
function sqlRates(select: string, where: string, groupBy: string | null) {
  return rows<SqlRates & Record<string, unknown>>(sql`
    select ${sql.raw(select ? `${select},` : '')}
      count(*)::int as total,
      count(*) filter (where channel = 'ONLINE')::int as online,
      count(*) filter (where status in ('COMPLETED', 'REJECTED'))::int as resolved,
      count(*) filter (where status in ('COMPLETED', 'REJECTED') and completed_at <= due_at)::int as on_time,
      count(*) filter (where ${sql.raw(OVERDUE)})::int as overdue
    from services.dossiers where ${sql.raw(where)}
    ${sql.raw(groupBy ? `group by ${groupBy}` : '')}`);
}

function expectRates(actual: Rates, expected: SqlRates): void {
  expect({ total: actual.total, online: actual.online, resolved: actual.resolved, onTime: actual.onTime, overdue: actual.overdue }).toEqual({
    total: expected.total,
    online: expected.online,
    resolved: expected.resolved,
    onTime: expected.on_time,
    overdue: expected.overdue,
  });
  expect(actual.onlineRate).toBeCloseTo(expected.total ? expected.online / expected.total : 0, 10);
  expect(actual.onTimeRate).toBeCloseTo(expected.resolved ? expected.on_time / expected.resolved : 0, 10);
  expect(actual.overdueRate).toBeCloseTo(expected.total ? expected.overdue / expected.total : 0, 10);
}

describe('dossierStatistics', () => {
  it('totals over everything and over a filter, equal to SQL counts', async () => {
    const all = ok(await gw.query<{ dossierStatistics: { totals: Rates; groups: unknown[] } }>(`{ dossierStatistics { totals { ${RATES} } groups { total } } }`, undefined, admin));
    const [expected] = await sqlRates('', 'true', null);
    expect(expected!.total).toBe(800);
    expect(expected!.online).toBeGreaterThan(0);
    expect(expected!.resolved).toBeGreaterThan(expected!.on_time);
    expect(expected!.overdue).toBeGreaterThan(0);
    expectRates(all.dossierStatistics.totals, expected!);
    expect(all.dossierStatistics.groups).toEqual([]);

    const [agency] = await rows<{ agency_id: number }>(sql`select agency_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    const from = '2023-06-01T00:00:00.000Z';
    const to = '2024-06-01T00:00:00.000Z';
    const filtered = ok(
      await gw.query<{ dossierStatistics: { totals: Rates } }>(
        `query($f: DossierStatisticsFilter) { dossierStatistics(filter: $f) { totals { ${RATES} } } }`,
        { f: { agencyId: toGlobalId('Agency', agency!.agency_id), from, to } },
        admin,
      ),
    );
    const [expectedFiltered] = await sqlRates('', `agency_id = ${agency!.agency_id} and submitted_at >= '${from}' and submitted_at < '${to}'`, null);
    expect(expectedFiltered!.total).toBeGreaterThan(10);
    expectRates(filtered.dossierStatistics.totals, expectedFiltered!);

    const [procedure] = await rows<{ procedure_id: number }>(sql`select procedure_id from services.dossiers group by 1 order by count(*) desc, 1 limit 1`);
    const byProcedure = ok(
      await gw.query<{ dossierStatistics: { totals: Rates } }>(
        `query($f: DossierStatisticsFilter) { dossierStatistics(filter: $f) { totals { ${RATES} } } }`,
        { f: { procedureId: toGlobalId('Procedure', procedure!.procedure_id) } },
        admin,
      ),
    );
    expectRates(byProcedure.dossierStatistics.totals, (await sqlRates('', `procedure_id = ${procedure!.procedure_id}`, null))[0]!);
  });

  interface Group extends Rates {
    agency: { id: string; code: string } | null;
    month: string | null;
    channel: string | null;
    status: string | null;
  }

  async function groups(groupBy: string[]): Promise<Group[]> {
    const data = ok(
      await gw.query<{ dossierStatistics: { totals: Rates; groups: Group[] } }>(
        `query($g: [DossierDimension!]!) { dossierStatistics(groupBy: $g) { totals { total } groups { agency { id code } month channel status ${RATES} } } }`,
        { g: groupBy },
        admin,
      ),
    );
    // The groups partition the totals.
    expect(data.dossierStatistics.groups.reduce((n, g) => n + g.total, 0)).toBe(data.dossierStatistics.totals.total);
    return data.dossierStatistics.groups;
  }

  it('grouped by AGENCY', async () => {
    const actual = await groups(['AGENCY']);
    const expected = await sqlRates('agency_id', 'true', 'agency_id');
    const codes = await agencyCodes();
    expect(actual).toHaveLength(expected.length);
    const byAgency = new Map(expected.map((r) => [r.agency_id as number, r]));
    for (const group of actual) {
      const agencyId = rowIdOf(group.agency!.id);
      expect(group.agency!.code).toBe(codes.get(agencyId));
      expect([group.month, group.channel, group.status]).toEqual([null, null, null]);
      expectRates(group, byAgency.get(agencyId)!);
    }
    // Ordered by the dimension.
    const ids = actual.map((g) => rowIdOf(g.agency!.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('grouped by MONTH, in Đà Nẵng time', async () => {
    const actual = await groups(['MONTH']);
    const expected = await sqlRates(`to_char(submitted_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') as month`, 'true', '1');
    expect(actual.map((g) => g.month)).toEqual(expected.map((r) => r.month as string).sort());
    const byMonth = new Map(expected.map((r) => [r.month as string, r]));
    for (const group of actual) {
      expect([group.agency, group.channel, group.status]).toEqual([null, null, null]);
      expectRates(group, byMonth.get(group.month!)!);
    }
    // The same months counted here from the timestamps, in UTC+7 (Viet Nam has no daylight saving time).
    const stamps = await rows<{ submitted_at: Date }>(sql`select submitted_at from services.dossiers`);
    const counts = new Map<string, number>();
    for (const { submitted_at } of stamps) {
      const month = new Date(new Date(submitted_at).getTime() + 7 * 3600_000).toISOString().slice(0, 7);
      counts.set(month, (counts.get(month) ?? 0) + 1);
    }
    expect(new Map(actual.map((g) => [g.month!, g.total]))).toEqual(counts);
  });

  it('grouped by CHANNEL and STATUS', async () => {
    const actual = await groups(['CHANNEL', 'STATUS']);
    const expected = await sqlRates('channel, status', 'true', 'channel, status');
    expect(actual).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(5);
    const byKey = new Map(expected.map((r) => [`${r.channel}/${r.status}`, r]));
    for (const group of actual) {
      expect(group.agency).toBeNull();
      expect(group.month).toBeNull();
      expectRates(group, byKey.get(`${group.channel}/${group.status}`)!);
    }
    const keys = actual.map((g) => `${g.channel}/${g.status}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('officers get their own agency’s figures; the public none', async () => {
    const officer = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: 'STP' })}` };
    const data = ok(await gw.query<{ dossierStatistics: { totals: Rates; groups: Group[] } }>(`{ dossierStatistics(groupBy: [AGENCY]) { totals { ${RATES} } groups { agency { code } total } } }`, undefined, officer));
    const [expected] = await sqlRates('', `agency_id = ${await agencyIdOf('STP')}`, null);
    expectRates(data.dossierStatistics.totals, expected!);
    expect(data.dossierStatistics.groups.map((g) => g.agency!.code)).toEqual(['STP']);
    const open = await gw.query(`{ dossierStatistics { totals { total } } }`);
    expect(open.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('an officer sees only the own agency’s dossiers', () => {
  let officer: Record<string, string>;
  let own: number;
  beforeAll(async () => {
    officer = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: 'STP' })}` };
    own = await agencyIdOf('STP');
  });

  it('in the list and its totalCount, whatever the filter', async () => {
    const expected = await dossierIds(`agency_id = ${own}`);
    expect(expected.length).toBeGreaterThan(10);
    const { ids, totalCount } = await listed({}, officer);
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    // Asking for another agency's dossiers gives nothing, not an error.
    const other = (await dossierRow(`agency_id <> ${own}`)).agency_id;
    const page = await dossiersPage({ filter: { agencyId: toGlobalId('Agency', other) } }, officer);
    expect(page).toMatchObject({ totalCount: 0, edges: [] });
    // A filter is ANDed with the scope.
    const online = await listed({ channel: 'ONLINE' }, officer);
    expect(online.ids).toEqual(await dossierIds(`agency_id = ${own} and channel = 'ONLINE'`));
    expect(online.totalCount).toBe(online.ids.length);
  });

  it('dossier(code) and node(id): another agency’s dossier answers exactly like a missing one', async () => {
    const mine = await dossierRow(`agency_id = ${own}`);
    const theirs = await dossierRow(`agency_id <> ${own}`);
    const [max] = await rows<{ n: number }>(sql`select max(id)::int as n from services.dossiers`);

    const byCode = `query($c: String!) { dossier(code: $c) { id code agency { code } } }`;
    const seen = ok(await gw.query<{ dossier: { code: string; agency: { code: string } } }>(byCode, { c: mine.code }, officer));
    expect(seen.dossier).toEqual({ id: toGlobalId('Dossier', mine.id), code: mine.code, agency: { code: 'STP' } });
    const hidden = await gw.query(byCode, { c: theirs.code }, officer);
    const missing = await gw.query(byCode, { c: 'H00.00-000000-0000000' }, officer);
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data).toEqual({ dossier: null });
    expect(hidden.data).toEqual(missing.data);

    const byId = `query($id: ID!) { node(id: $id) { id ... on Dossier { code } } }`;
    expect(ok(await gw.query<{ node: { code: string } }>(byId, { id: toGlobalId('Dossier', mine.id) }, officer)).node.code).toBe(mine.code);
    const hiddenNode = await gw.query(byId, { id: toGlobalId('Dossier', theirs.id) }, officer);
    const missingNode = await gw.query(byId, { id: toGlobalId('Dossier', max!.n + 1) }, officer);
    expect(hiddenNode.errors).toBeUndefined();
    expect(hiddenNode.data).toEqual({ node: null });
    expect(hiddenNode.data).toEqual(missingNode.data);
    // The admin sees that dossier: it is hidden, not missing.
    expect(ok(await gw.query<{ node: { code: string } }>(byId, { id: toGlobalId('Dossier', theirs.id) }, admin)).node.code).toBe(theirs.code);
  });

  it('Agency.dossiers of another agency is empty for the officer', async () => {
    const theirs = await dossierRow(`agency_id <> ${own}`);
    const code = (await agencyCodes()).get(theirs.agency_id)!;
    const data = ok(await gw.query<{ agency: { dossiers: Conn<unknown> } }>(`query($c: String!) { agency(code: $c) { dossiers { totalCount edges { cursor } } } }`, { c: code }, officer));
    expect(data.agency.dossiers).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('a citizen sees only their own dossiers', () => {
  it('in the list, by code and by node id', async () => {
    const [top] = await rows<{ applicant_id: number }>(
      sql`select applicant_id from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`,
    );
    const [person] = await rows<{ national_id: string }>(sql`select national_id from population.citizens where id = ${top!.applicant_id}`, pop);
    const citizen = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'citizen', citizenId: person!.national_id })}` };
    const expected = await dossierIds(`applicant_kind = 'CITIZEN' and applicant_id = ${top!.applicant_id}`);
    expect(expected.length).toBeGreaterThan(1);
    const { ids, totalCount } = await listed({}, citizen);
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);

    const mine = await dossierRow(`id = ${expected[0]}`);
    const theirs = await dossierRow(`not (applicant_kind = 'CITIZEN' and applicant_id = ${top!.applicant_id})`);
    const byCode = `query($c: String!) { dossier(code: $c) { code } }`;
    expect(ok(await gw.query<{ dossier: { code: string } }>(byCode, { c: mine.code }, citizen)).dossier.code).toBe(mine.code);
    expect(ok(await gw.query<{ dossier: unknown }>(byCode, { c: theirs.code }, citizen)).dossier).toBeNull();
    const byId = `query($id: ID!) { node(id: $id) { id } }`;
    expect(ok(await gw.query<{ node: unknown }>(byId, { id: toGlobalId('Dossier', theirs.id) }, citizen)).node).toBeNull();
    // Their own record's dossiers, through `me`.
    const me = ok(await gw.query<{ me: { dossiers: Conn<{ id: string }> } }>(`{ me { dossiers(first: 100) { totalCount edges { node { id } } } } }`, undefined, citizen));
    expect(me.me.dossiers.edges.map((e) => rowIdOf(e.node.id))).toEqual(expected);
    expect(me.me.dossiers.totalCount).toBe(expected.length);
  });
});

describe('SQL statements per request', () => {
  const PAGE = `query($n: Int!) { dossiers(first: $n) { edges { node { id code status
    applicant { __typename
      ... on Citizen { id fullName nationalId birthDate ward { name district { name } } }
      ... on Business { id code name industryName } }
    procedure { name agency { code } }
    agency { code }
    events(first: 3) { edges { node { seq kind } } } } } } }`;

  it('do not grow with the page size: the same for 10 and 100 dossiers with their relations', async () => {
    const small = await gw.query<{ dossiers: Conn<{ applicant: { __typename: string } }> }>(PAGE, { n: 10 }, admin);
    const large = await gw.query<{ dossiers: Conn<{ applicant: { __typename: string; fullName?: string; ward?: { district: { name: string } } } }> }>(PAGE, { n: 100 }, admin);
    const page = ok(large).dossiers.edges.map((e) => e.node);
    ok(small);
    expect(page).toHaveLength(100);
    // Both union members are in the page, with their fields resolved.
    const kinds = new Set(page.map((d) => d.applicant.__typename));
    expect(kinds).toEqual(new Set(['Citizen', 'Business']));
    expect(page.filter((d) => d.applicant.__typename === 'Citizen').every((d) => d.applicant.fullName && d.applicant.ward?.district.name)).toBe(true);

    const statements = large.extensions!.sqlStatements!;
    /*
     * The upper bound: at each nesting level, one batched statement per source and key kind
     * (DataLoader batches every row of the level into one `= any($1)` query; two different
     * relations into the same source, such as procedures and events, are two key kinds):
     *   level 1  services   the page of dossiers                                   1
     *   level 2  services   procedures (by id) and events (by dossier id)          2
     *            reference  the dossiers' agencies (by id)                         1
     *            population the citizen applicants (by id)                         1
     *            business   the business applicants (by id)                        1
     *   level 3  reference  the procedures' agencies, the citizens' wards          2
     *   level 4  reference  the wards' districts                                   1
     * = 9 at most: services 3, reference 4, population 1, business 1. Measured: 8 (reference 3),
     * on both backends: a dossier's agency is its procedure's agency (copied onto the dossier), so
     * the level-3 agency lookups are answered by the request's DataLoader cache. The access log's
     * write is not part of `total` (see src/server/plugins/statements.plugin.ts), so the bound is on the data sources.
     */
    expect(statements.bySource.services).toBeLessThanOrEqual(3);
    expect(statements.bySource.reference).toBeLessThanOrEqual(4);
    expect(statements.bySource.population).toBe(1);
    expect(statements.bySource.business).toBe(1);
    expect(statements.total).toBeLessThanOrEqual(9);
    expect(small.extensions!.sqlStatements!.total).toBe(statements.total);
    expect(small.extensions!.sqlStatements!.bySource).toEqual(statements.bySource);
  });

  // The access log's write runs alongside the response and is in neither figure.
  it('report a bySource that adds up to total', async () => {
    const res = await gw.query(PAGE, { n: 10 }, admin);
    const { total, bySource } = res.extensions!.sqlStatements!;
    expect(Object.values(bySource).reduce((a, b) => a + b, 0)).toBe(total);
  });
});
