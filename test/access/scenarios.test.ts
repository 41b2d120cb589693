/**
 * The authorization scenarios, through the real HTTP server, on the fixtures of the matrix
 * (fixtures.ts): household structure, row scopes (dossiers, citizens, the access log), hidden
 * records that answer like missing ones, side channels (cursors, filters, SQL statement counts)
 * and case references; a module's own scenarios live in test/modules/<source>/scenarios.test.ts,
 * on the same fixtures and runner. Written by hand from DESIGN.md (Authorization) and the table in
 * src/access/policy.ts, like expectations.ts: the test never asks the policy module, or it could
 * not fail. The grids themselves are iterated in matrix.test.ts.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse, TestGateway } from '../support/gateway.js';
import type { CallerHeaders } from '../support/as.js';
import type { CallerName } from './expectations.js';
import { AGENCY_A, dateText, declaring, type CitizenRow, type Fixtures } from './fixtures.js';
import { gid, q } from './paths.js';
import { expectCaseRefused, expectOtherSubjectRefused, expectVisible, readC, startMatrix, visible, type Matrix } from './runner.js';

let m: Matrix;
let gw: TestGateway;
let f: Fixtures;
let headers: Record<CallerName, CallerHeaders>;
beforeAll(async () => {
  m = await startMatrix();
  ({ gw, f, headers } = m);
});
afterAll(async () => gw?.close());

describe('L10: household structure follows the household rule', () => {
  it("an officer (with a purpose) who follows C's household gets its id and nothing else: no member count, head, members or their businesses", async () => {
    const res = await gw.query<{ c: { household: Record<string, unknown> } }>(
      `query($n: String!) { c: citizen(nationalId: $n) { household { id code address memberCount head { id } members(first: 10) { edges { node { id businesses { totalCount } } } } } } }`,
      { n: f.C.national_id },
      headers.officer,
    );
    expect(res.data!.c.household).toEqual({ id: gid('Household', f.H.id), code: null, address: null, memberCount: null, head: null, members: null });
    expect((res.errors ?? []).map((e) => [e.path!.slice(2).join('.'), e.extensions?.code]).sort()).toEqual([
      ['address', 'FORBIDDEN'],
      ['code', 'FORBIDDEN'],
      ['head', 'FORBIDDEN'],
      ['memberCount', 'FORBIDDEN'],
      ['members', 'FORBIDDEN'],
    ]);
  });

  it('a member and an admin with a purpose see the structure', async () => {
    for (const role of ['citizen', 'admin'] as const) {
      const res = await gw.query<{ node: { memberCount: number; members: { totalCount: number } } }>(
        `query($id: ID!) { node(id: $id) { ... on Household { memberCount members { totalCount } } } }`,
        { id: gid('Household', f.H.id) },
        headers[role],
      );
      expect(res.errors, role).toBeUndefined();
      expect(res.data!.node).toEqual({ memberCount: f.H.member_count, members: { totalCount: f.H.member_count } });
    }
  });
});

describe('dossier row scopes', () => {
  const DOSSIER_PAGE = `query Page($after: String) { dossiers(first: 100, after: $after, orderBy: CODE) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { code agency { code } applicant { __typename ... on Citizen { id } ... on Business { id } } } } } }`;

  type DossierNode = { code: string; agency: { code: string }; applicant: { __typename: string; id: string } };
  async function allDossiers(role: CallerName): Promise<{ totalCount: number; nodes: DossierNode[] }> {
    const nodes: DossierNode[] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLResponse<{ dossiers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: DossierNode }> } }> =
        await gw.query(DOSSIER_PAGE, { after }, headers[role]);
      expect(res.errors).toBeUndefined();
      nodes.push(...res.data!.dossiers.edges.map((e) => e.node));
      if (!res.data!.dossiers.pageInfo.hasNextPage) return { totalCount: res.data!.dossiers.totalCount, nodes };
      after = res.data!.dossiers.pageInfo.endCursor;
    }
  }

  it("an officer of A sees A's dossiers and only those (list and totalCount)", async () => {
    const { totalCount, nodes } = await allDossiers('officer');
    expect(totalCount).toBe(f.counts.agencyA);
    expect(nodes).toHaveLength(f.counts.agencyA);
    expect(new Set(nodes.map((n) => n.agency.code))).toEqual(new Set([AGENCY_A]));
  });

  it('a citizen sees their own dossiers and only those', async () => {
    const { totalCount, nodes } = await allDossiers('citizen');
    expect(totalCount).toBe(f.counts.ofC);
    expect(f.counts.ofC).toBeGreaterThan(0);
    expect(nodes.every((n) => n.applicant.__typename === 'Citizen' && n.applicant.id === gid('Citizen', f.C.id))).toBe(true);
  });

  it('an admin sees every dossier', async () => {
    const res = await gw.query<{ dossiers: { totalCount: number } }>(`{ dossiers(first: 1) { totalCount } }`, undefined, headers.admin);
    expect(res.data!.dossiers.totalCount).toBe(f.counts.all);
  });

  it.each(['public', 'analyst', 'auditor'] as const)('%s sees no dossier in full', async (role) => {
    const res = await gw.query<Record<string, unknown>>(
      `query($a: ID!, $d: ID!) {
        list: dossiers(first: 100) { totalCount edges { node { code } } }
        one: dossier(code: ${q(f.cDossier)}) { code }
        node: node(id: $d) { id }
        agency: agency(code: ${q(AGENCY_A)}) { dossiers(first: 10) { totalCount edges { node { code } } } }
        citizen: node(id: $a) { id }
      }`,
      { a: gid('Citizen', f.C.id), d: gid('Dossier', f.otherDossier.id) },
      headers[role],
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ list: { totalCount: 0, edges: [] }, one: null, node: null, agency: { dossiers: { totalCount: 0, edges: [] } }, citizen: null });
  });

  it("another agency's dossier answers an officer of A exactly like a missing one: dossier(code) and node(id)", async () => {
    const ask = (code: string, id: string) =>
      gw.query(`query($code: String!, $id: ID!) { d: dossier(code: $code) { code status } n: node(id: $id) { id ... on Dossier { code } } }`, { code, id }, headers.officer);
    const other = await ask(f.otherDossier.code, gid('Dossier', f.otherDossier.id));
    const missing = await ask(f.missingDossierCode, gid('Dossier', 99_999_999));
    expect(visible(other)).toEqual({ status: 200, data: { d: null, n: null }, errors: undefined });
    expect(visible(other)).toEqual(visible(missing));
    // A's own dossier is there, through both.
    const [own] = (await sql<{ id: number }>`select id from services.dossiers where code = ${f.cDossier}`.execute(gw.databases.connections.sources.services.root)).rows;
    const mine = await ask(f.cDossier, gid('Dossier', own!.id));
    expect(mine.data).toMatchObject({ d: { code: f.cDossier }, n: { id: gid('Dossier', own!.id), code: f.cDossier } });
  });

  it("an officer of A gets nothing of another agency's dossiers through Agency.dossiers or a filter", async () => {
    const [other] = (await sql<{ code: string }>`select code from reference.agencies where id = ${f.otherDossier.agency_id}`.execute(gw.databases.connections.sources.reference.root)).rows;
    const res = await gw.query<{ agency: { dossiers: { totalCount: number; edges: unknown[] } }; filtered: { totalCount: number } }>(
      `query($agencyId: ID!) { agency(code: ${q(other!.code)}) { dossiers(first: 10) { totalCount edges { node { code } } } }
        filtered: dossiers(filter: { agencyId: $agencyId }) { totalCount } }`,
      { agencyId: gid('Agency', f.otherDossier.agency_id) },
      headers.officer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ agency: { dossiers: { totalCount: 0, edges: [] } }, filtered: { totalCount: 0 } });
  });

  it("someone else's dossier answers a citizen exactly like a missing one", async () => {
    const ask = (code: string) => gw.query(`query($code: String!) { d: dossier(code: $code) { code } }`, { code }, headers.citizen);
    const other = await ask(f.otherDossier.code);
    expect(visible(other)).toEqual({ status: 200, data: { d: null }, errors: undefined });
    expect(visible(other)).toEqual(visible(await ask(f.missingDossierCode)));
    expect((await ask(f.cDossier)).data).toEqual({ d: { code: f.cDossier } });
  });

  describe('dossierStatus(code): the public lookup', () => {
    const LOOKUP = `query($code: String!) { dossierStatus(code: $code) { code status } }`;
    it.each(['public', 'citizen', 'officer', 'analyst', 'admin'] as const)('answers %s, for any dossier', async (role) => {
      const [expected] = (await sql<{ status: string }>`select status from services.dossiers where code = ${f.otherDossier.code}`.execute(gw.databases.connections.sources.services.root)).rows;
      const res = await gw.query(LOOKUP, { code: f.otherDossier.code }, headers[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ dossierStatus: { code: f.otherDossier.code, status: expected!.status } });
    });

    it('is FORBIDDEN to auditors', async () => {
      const res = await gw.query(LOOKUP, { code: f.otherDossier.code }, headers.auditor);
      expect(res.data).toEqual({ dossierStatus: null });
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatus'], 'FORBIDDEN']]);
    });
  });

  describe('dossierStatistics: aggregates', () => {
    const STATS = `{ dossierStatistics { totals { total } } }`;
    it.each(['analyst', 'admin'] as const)('%s sees every dossier counted', async (role) => {
      const res = await gw.query(STATS, undefined, headers[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ dossierStatistics: { totals: { total: f.counts.all } } });
    });

    it("an officer sees their agency's dossiers counted, whatever the filter asks", async () => {
      const res = await gw.query<{ own: { totals: { total: number } }; other: { totals: { total: number } } }>(
        `query($other: ID!) { own: dossierStatistics { totals { total } } other: dossierStatistics(filter: { agencyId: $other }) { totals { total } } }`,
        { other: gid('Agency', f.otherDossier.agency_id) },
        headers.officer,
      );
      expect(res.data!.own.totals.total).toBe(f.counts.agencyA);
      // Another agency's dossiers are none of the officer's: fewer than k, so no figures (as for an empty filter).
      expect(res.data!.other).toBeNull();
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['other'], 'FORBIDDEN']]);
    });

    it.each(['public', 'citizen', 'auditor'] as const)('is FORBIDDEN to %s', async (role) => {
      const res = await gw.query(STATS, undefined, headers[role]);
      expect(res.data?.dossierStatistics ?? null).toBeNull();
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatistics'], 'FORBIDDEN']]);
    });

    // dossierStatistics is nullable: its FORBIDDEN error nulls that field only.
    it.each(['public', 'citizen', 'auditor'] as const)('a denied dossierStatistics leaves the rest of the response served (%s)', async (role) => {
      const res = await gw.query(`{ dossierStatistics { totals { total } } agency(code: ${q(AGENCY_A)}) { code } }`, undefined, headers[role]);
      expect(res.status).toBe(200);
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatistics'], 'FORBIDDEN']]);
      expect(res.data).toEqual({ dossierStatistics: null, agency: { code: AGENCY_A } });
    });
  });
});

describe('the access log: auditors and admins only, and a refusal nulls only its own field', () => {
  const LOG = `{ accessLog(first: 1) { totalCount } accessLogVerification { intact } agency(code: ${q(AGENCY_A)}) { code } }`;

  it.each(['public', 'citizen', 'officer', 'officerNoPurpose', 'analyst'] as const)('%s: accessLog and accessLogVerification are null with FORBIDDEN, the rest is served', async (role) => {
    const res = await gw.query(LOG, undefined, headers[role]);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ accessLog: null, accessLogVerification: null, agency: { code: AGENCY_A } });
    const errors = (res.errors ?? []).map((e) => [String(e.path), e.extensions?.code]).sort();
    expect(errors).toEqual([
      ['accessLog', 'FORBIDDEN'],
      ['accessLogVerification', 'FORBIDDEN'],
    ]);
  });

  it.each(['auditor', 'admin'] as const)('%s reads both', async (role) => {
    const res = await gw.query<{ accessLog: { totalCount: number }; accessLogVerification: { intact: boolean } }>(LOG, undefined, headers[role]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.accessLog.totalCount).toEqual(expect.any(Number));
    expect(res.data!.accessLogVerification.intact).toBe(true);
  });
});

describe('citizen row scopes: a hidden citizen answers like a missing one', () => {
  const ASK = `query($nid: String!, $id: ID!) {
    byNationalId: citizen(nationalId: $nid) { id fullName }
    byNode: node(id: $id) { id ... on Citizen { fullName } }
    list: citizens(filter: { nationalId: $nid }) { totalCount edges { node { id } } }
  }`;
  const cases: Array<[CallerName, 'C' | 'D']> = [
    ['public', 'C'],
    ['citizen', 'D'],
    ['officer', 'D'],
    ['officerNoPurpose', 'D'],
    ['analyst', 'C'],
    ['auditor', 'C'],
  ];
  /**
   * The officer without a purpose finds A's applicants but may not read national ids: the lookup
   * and the filter by national id are refused before anything is fetched, whoever is asked for.
   */
  const REFUSED_BY_NATIONAL_ID: readonly CallerName[] = ['officerNoPurpose'];
  it.each(cases)('%s asking for %s', async (role, who) => {
    const hiddenRow = who === 'C' ? f.C : f.D;
    const hidden = await gw.query(ASK, { nid: hiddenRow.national_id, id: gid('Citizen', hiddenRow.id) }, headers[role]);
    const missing = await gw.query(ASK, { nid: f.missingNationalId, id: gid('Citizen', 99_999_999) }, headers[role]);
    if (REFUSED_BY_NATIONAL_ID.includes(role)) {
      expect(hidden.status).toBe(200);
      expect(hidden.data).toEqual({ byNationalId: null, byNode: null, list: null });
      expect((hidden.errors ?? []).map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')])).toEqual([
        [['byNationalId'], 'FORBIDDEN', 'look up by national id'],
        [['list'], 'FORBIDDEN', 'filter by national id'],
      ]);
    } else {
      expect(visible(hidden)).toEqual({ status: 200, data: { byNationalId: null, byNode: null, list: { totalCount: 0, edges: [] } }, errors: undefined });
    }
    // Byte for byte (messages and locations included), hidden and missing answer alike.
    expect(visible(hidden)).toEqual(visible(missing));
  });

  it('while the officer of A finds C, and the citizen finds themselves, the same way', async () => {
    const args = { nid: f.C.national_id, id: gid('Citizen', f.C.id) };
    for (const role of ['officer', 'citizen', 'admin'] as const) {
      const res = await gw.query(ASK, args, headers[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        byNationalId: { id: args.id, fullName: f.C.full_name },
        byNode: { id: args.id, fullName: f.C.full_name },
        list: { totalCount: 1, edges: [{ node: { id: args.id } }] },
      });
    }
  });
});

describe('a hidden record and a missing one cost the same SQL statements (nothing leaks through counts or timing)', () => {
  const statements = (r: GraphQLResponse) => r.extensions?.sqlStatements;

  it("dossier(code) and node(id): another agency's dossier and a missing one, for an officer of A", async () => {
    const ask = (code: string, id: string) => gw.query(`query($code: String!, $id: ID!) { d: dossier(code: $code) { code } n: node(id: $id) { id } }`, { code, id }, headers.officer);
    const other = await ask(f.otherDossier.code, gid('Dossier', f.otherDossier.id));
    const missing = await ask(f.missingDossierCode, gid('Dossier', 99_999_999));
    expect(statements(other)).toBeDefined();
    expect(statements(other)).toEqual(statements(missing));
  });

  it.each(['officer', 'citizen'] as const)(
    '%s: citizen(nationalId) of a hidden citizen and of a missing one',
    async (role) => {
      const ask = (nid: string) => gw.query(`query($nid: String!) { c: citizen(nationalId: $nid) { id } }`, { nid }, headers[role]);
      const hidden = await ask(f.D.national_id);
      const missing = await ask(f.missingNationalId);
      expect(statements(hidden)).toBeDefined();
      expect(statements(hidden)).toEqual(statements(missing));
    },
  );

  it.each(['officer', 'citizen'] as const)(
    '%s: node(id) of a hidden citizen and of a missing one',
    async (role) => {
      const ask = (id: string) => gw.query(`query($id: ID!) { n: node(id: $id) { id } }`, { id }, headers[role]);
      const hidden = await ask(gid('Citizen', f.D.id));
      const missing = await ask(gid('Citizen', 99_999_999));
      expect(statements(hidden)).toBeDefined();
      expect(statements(hidden)).toEqual(statements(missing));
    },
  );
});

describe('side channels to denied fields: cursors and filters', () => {
  const bytesOf = (cursor: string): Buffer => Buffer.from(cursor, 'base64url');

  async function citizensById(ids: number[]): Promise<Map<number, CitizenRow>> {
    const rows = (await sql<CitizenRow>`select id, national_id, full_name, gender, birth_date, phone, email, address, ward_id, household_id
      from population.citizens where id = any(${ids})`.execute(gw.databases.connections.sources.population.root)).rows;
    return new Map(rows.map((r) => [r.id, r]));
  }
  const rowIdOf = (globalId: string): number => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

  /** A cursor is sealed: its bytes are not JSON, and none of `secrets` (sort values, the ordering's name) is in them. */
  function expectSealed(cursor: string, secrets: readonly string[]): void {
    const bytes = bytesOf(cursor);
    expect(() => JSON.parse(bytes.toString('utf8')) as unknown, `cursor ${cursor} is not readable JSON`).toThrow();
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, 'utf8')), `cursor ${cursor} carries "${secret}"`).toBe(false);
  }

  const refusal = (res: GraphQLResponse) => (res.errors ?? []).map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')]);

  it('officer without a purpose: ordering citizens by BIRTH_DATE is refused (null + FORBIDDEN), so neither an order nor a cursor is handed out', async () => {
    const res = await gw.query(`{ citizens(first: 10, orderBy: BIRTH_DATE) { edges { cursor node { id birthDate } } } }`, undefined, headers.officerNoPurpose);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ citizens: null });
    expect(refusal(res)).toEqual([[['citizens'], 'FORBIDDEN', 'order by BIRTH_DATE']]);
  });

  // An admin with LEGAL_OBLIGATION: an officer's DOSSIER_PROCESSING orders only among the case's people (one).
  it('cursors of citizens ordered by BIRTH_DATE carry no birth date, are not JSON, and still page (admin with a purpose)', async () => {
    type Page = { citizens: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ cursor: string; node: { id: string; birthDate: string } }> } };
    const PAGE = `query($after: String) { citizens(first: 5, after: $after, orderBy: BIRTH_DATE) { pageInfo { hasNextPage endCursor } edges { cursor node { id birthDate } } } }`;
    const first = await gw.query<Page>(PAGE, { after: null }, headers.admin);
    expect(first.errors).toBeUndefined();
    const edges = first.data!.citizens.edges;
    expect(edges).toHaveLength(5);
    expect(first.data!.citizens.pageInfo.hasNextPage).toBe(true);
    const rows = await citizensById(edges.map((e) => rowIdOf(e.node.id)));
    for (const edge of edges) {
      const row = rows.get(rowIdOf(edge.node.id))!;
      // The admin may read these birth dates; the cursor still must not hold them.
      expect(edge.node.birthDate).toBe(dateText(row.birth_date));
      expectSealed(edge.cursor, [dateText(row.birth_date), row.full_name, 'citizen:birth_date']);
    }
    const next = await gw.query<Page>(PAGE, { after: first.data!.citizens.pageInfo.endCursor }, headers.admin);
    expect(next.errors).toBeUndefined();
    const following = next.data!.citizens.edges;
    expect(following.length).toBeGreaterThan(0);
    expect(following.some((e) => edges.some((d) => d.node.id === e.node.id))).toBe(false);
    expect(following[0]!.node.birthDate >= edges.at(-1)!.node.birthDate).toBe(true);
  });

  it.each(['CODE', 'ADDRESS'] as const)('admin without a purpose: listing households ordered by %s is refused (null + FORBIDDEN)', async (order) => {
    const res = await gw.query(`{ households(first: 10, orderBy: ${order}) { edges { cursor node { id code } } } }`, undefined, headers.adminNoPurpose);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ households: null });
    expect(refusal(res)).toEqual([[['households'], 'FORBIDDEN', `order by ${order}`]]);
  });

  it.each(['CODE', 'ADDRESS'] as const)('cursors of households ordered by %s carry neither codes nor addresses (admin with a purpose)', async (order) => {
    const res = await gw.query<{ households: { edges: Array<{ cursor: string; node: { id: string; code: string; address: string } }> } }>(
      `{ households(first: 10, orderBy: ${order}) { edges { cursor node { id code address } } } }`,
      undefined,
      headers.admin,
    );
    expect(res.errors).toBeUndefined();
    const edges = res.data!.households.edges;
    expect(edges).toHaveLength(10);
    const stored = (await sql<{ id: number; code: string; address: string }>`select id, code, address from population.households where id = any(${edges.map((e) => rowIdOf(e.node.id))})`.execute(
      gw.databases.connections.sources.population.root,
    )).rows;
    for (const edge of edges) {
      const row = stored.find((h) => h.id === rowIdOf(edge.node.id))!;
      expect(edge.node).toMatchObject({ code: row.code, address: row.address });
      expectSealed(edge.cursor, [row.code, row.address, `household:${order.toLowerCase()}`]);
    }
  });

  it("citizen: their household's members come newest registration first (not by name), and the cursors do not carry the other members' denied names", async () => {
    const res = await gw.query<{ me: { household: { members: { edges: Array<{ cursor: string; node: { id: string; fullName: string | null } }> } } } }>(
      `{ me { household { members(first: 50) { edges { cursor node { id fullName } } } } } }`,
      undefined,
      headers.citizen,
    );
    const edges = res.data!.me.household.members.edges;
    const ids = edges.map((e) => rowIdOf(e.node.id));
    expect(ids, 'members by registration, newest (highest id) first').toEqual([...ids].sort((a, b) => b - a));
    const others = edges.filter((e) => e.node.id !== gid('Citizen', f.C.id));
    expect(others.length, 'C shares a household').toBeGreaterThan(0);
    expect(others.every((e) => e.node.fullName === null)).toBe(true);
    const rows = await citizensById(others.map((e) => rowIdOf(e.node.id)));
    for (const edge of others) expectSealed(edge.cursor, [rows.get(rowIdOf(edge.node.id))!.full_name]);
  });

  /** Asks for C by national id AND a personal value; the answer must not depend on whether the value is C's. */
  const filterC = (values: string, variables: string) => async (value: string, caller: CallerHeaders) =>
    gw.query<{ citizens: { totalCount: number } | null }>(
      `query($nid: String!, $v: ${variables}) { citizens(filter: { nationalId: $nid, ${values} }) { totalCount } }`,
      { nid: f.C.national_id, v: value },
      caller,
    );
  const byBirthDate = filterC('bornFrom: $v, bornTo: $v', 'LocalDate!');
  const byGender = filterC('gender: $v', 'Gender!');
  const bornOfC = (): string => dateText(f.C.birth_date);
  const notBornOfC = (): string => (bornOfC().startsWith('1900') ? '1901-01-01' : '1900-01-01');
  const notGenderOfC = (): string => (f.C.gender === 'MALE' ? 'FEMALE' : 'MALE');

  it("officer without a purpose: filtering by birth date is refused, so C's denied birth date cannot be told from the count", async () => {
    const right = await byBirthDate(bornOfC(), headers.officerNoPurpose);
    const wrong = await byBirthDate(notBornOfC(), headers.officerNoPurpose);
    expect(right.data).toEqual({ citizens: null });
    // The national id filter is refused too: both are named.
    expect(refusal(right)).toEqual([[['citizens'], 'FORBIDDEN', 'filter by birth date, filter by national id']]);
    expect(visible(right)).toEqual(visible(wrong));
  });

  it("officer without a purpose: filtering by gender is refused, so C's denied gender cannot be told from the count", async () => {
    const right = await byGender(f.C.gender, headers.officerNoPurpose);
    const wrong = await byGender(notGenderOfC(), headers.officerNoPurpose);
    expect(right.data).toEqual({ citizens: null });
    expect(refusal(right)).toEqual([[['citizens'], 'FORBIDDEN', 'filter by gender, filter by national id']]);
    expect(visible(right)).toEqual(visible(wrong));
  });

  it('officer with a purpose (and a standing case): the birth date and gender filters are allowed and find C', async () => {
    expect((await byBirthDate(bornOfC(), headers.officer)).data).toEqual({ citizens: { totalCount: 1 } });
    expect((await byBirthDate(notBornOfC(), headers.officer)).data).toEqual({ citizens: { totalCount: 0 } });
    expect((await byGender(f.C.gender, headers.officer)).data).toEqual({ citizens: { totalCount: 1 } });
    expect((await byGender(notGenderOfC(), headers.officer)).data).toEqual({ citizens: { totalCount: 0 } });
  });
});

describe("DOSSIER_PROCESSING: X-Case-Reference must name a dossier handled by the caller's agency (an admin: any dossier)", () => {
  // What each purpose opens is PURPOSE_GRID (expectations.ts), run in matrix.test.ts; here, the cases.
  /** The officer of A (or an admin) declaring DOSSIER_PROCESSING with this case reference. */
  const processing = (role: 'officer' | 'admin', caseReference: string) => declaring(gw.databases.config.auth, role, 'DOSSIER_PROCESSING', caseReference);
  const read = (caller: CallerHeaders) => readC(m, caller);

  it("officer of A with the code of another agency's dossier: personal fields denied, name and ward visible", async () => {
    expectCaseRefused(m, await read(await processing('officer', f.otherDossier.code)));
  });

  it('officer of A with a made-up dossier code: personal fields denied, name and ward visible', async () => {
    expectCaseRefused(m, await read(await processing('officer', f.missingDossierCode)));
  });

  it("officer of A with A's dossier code: visible", async () => {
    expectVisible(m, await read(await processing('officer', f.cDossier)));
  });

  it("DOSSIER_PROCESSING with A's dossier filed by a business opens that business's legal representative, and no other representative", async () => {
    const [business] = (await sql<{ legal_representative_id: number }>`select legal_representative_id from business.businesses where id = ${f.businessDossierOfA.applicant_id}`.execute(
      gw.databases.connections.sources.business.root,
    )).rows;
    const [rep] = (await sql<{ national_id: string }>`select national_id from population.citizens where id = ${business!.legal_representative_id}`.execute(
      gw.databases.connections.sources.population.root,
    )).rows;
    const caller = await processing('officer', f.businessDossierOfA.code);
    const res = await gw.query<{ d: { applicant: { legalRepresentative: { id: string; nationalId: string | null } } } }>(
      `query($code: String!) { d: dossier(code: $code) { applicant { ... on Business { legalRepresentative { id nationalId } } } } }`,
      { code: f.businessDossierOfA.code },
      caller,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.d.applicant.legalRepresentative).toEqual({ id: gid('Citizen', business!.legal_representative_id), nationalId: rep!.national_id });
    // Another business's representative: still denied under this case.
    const [otherBusiness] = (await sql<{ code: string }>`select code from business.businesses where legal_representative_id <> ${business!.legal_representative_id} order by id limit 1`.execute(
      gw.databases.connections.sources.business.root,
    )).rows;
    const other = await gw.query(`query($code: String!) { business(code: $code) { legalRepresentative { nationalId } } }`, { code: otherBusiness!.code }, caller);
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("admin with DOSSIER_PROCESSING of C's dossier: a household address search finds no household (a case opens its person, not household records)", async () => {
    const ask = (caller: CallerHeaders) =>
      gw.query<{ households: { totalCount: number } }>(`query($s: String!) { households(filter: { search: $s }, orderBy: ADDRESS) { totalCount } }`, { s: f.H.address }, caller);
    expect((await ask(await processing('admin', f.cDossier))).data).toEqual({ households: { totalCount: 0 } });
    expect((await ask(headers.admin)).data!.households.totalCount).toBeGreaterThan(0);
  });

  it("with A's dossier of another applicant as the case, the officer reads nothing of C beyond name and ward, and a birth-date search finds no one (closed: L4)", async () => {
    const caller = await processing('officer', f.otherDossierOfA);
    expectOtherSubjectRefused(m, await read(caller), /opens only the applicant/);
    const bornText = dateText(f.C.birth_date);
    const res = await gw.query(`query($nid: String!, $d: LocalDate!) { citizens(filter: { nationalId: $nid, bornFrom: $d, bornTo: $d }) { totalCount } }`, { nid: f.C.national_id, d: bornText }, caller);
    expect(visible(res)).toEqual({ status: 200, data: { citizens: { totalCount: 0 } }, errors: undefined });
    const lookup = await gw.query(`query($nid: String!) { citizen(nationalId: $nid) { id } }`, { nid: f.C.national_id }, caller);
    expect(visible(lookup)).toEqual({ status: 200, data: { citizen: null }, errors: undefined });
  });

  it('admin with a made-up dossier code: personal fields denied, name and ward visible', async () => {
    expectCaseRefused(m, await read(await processing('admin', f.missingDossierCode)));
  });

  // Filters, orderings and lookups follow the same case rule as the fields they would reveal.
  describe('a case reference that does not stand unlocks no filter, ordering or lookup', () => {
    it.each([
      ["another agency's dossier", () => f.otherDossier.code],
      ['a made-up dossier code', () => f.missingDossierCode],
    ])("officer of A with %s as X-Case-Reference: the answer to a birth-date filter on C does not depend on C's denied birth date", async (_name, code) => {
      const caller = await processing('officer', code());
      const ask = (d: string) =>
        gw.query(`query($nid: String!, $d: LocalDate!) { citizens(filter: { nationalId: $nid, bornFrom: $d, bornTo: $d }) { totalCount } }`, { nid: f.C.national_id, d }, caller);
      const bornText = dateText(f.C.birth_date);
      expect(visible(await ask(bornText))).toEqual(visible(await ask(bornText.startsWith('1900') ? '1901-01-01' : '1900-01-01')));
    });

    it("officer of A with another agency's dossier as X-Case-Reference: ordering citizens by BIRTH_DATE is refused, as without a purpose (the order would reveal the denied birth dates)", async () => {
      const res = await gw.query(`{ citizens(first: 10, orderBy: BIRTH_DATE) { edges { node { id } } } }`, undefined, await processing('officer', f.otherDossier.code));
      expect(res.data).toEqual({ citizens: null });
      // The same refusal as without a purpose.
      expect(res.errors?.map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')])).toEqual([[['citizens'], 'FORBIDDEN', 'order by BIRTH_DATE']]);
    });

    it("admin with a made-up X-Case-Reference: citizen(nationalId) of D answers like a missing national id (a lookup by national id is refused without a purpose, so D's name is not found by it)", async () => {
      const caller = await processing('admin', f.missingDossierCode);
      const ask = (nid: string) => gw.query(`query($nid: String!) { c: citizen(nationalId: $nid) { id fullName } }`, { nid }, caller);
      expect(visible(await ask(f.D.national_id))).toEqual(visible(await ask(f.missingNationalId)));
    });

    it("admin with a made-up X-Case-Reference: a household address search does not depend on H's denied address", async () => {
      const caller = await processing('admin', f.missingDossierCode);
      const ask = (search: string) => gw.query(`query($s: String!) { households(filter: { search: $s }, orderBy: ADDRESS) { totalCount } }`, { s: search }, caller);
      expect(visible(await ask(f.H.address))).toEqual(visible(await ask('Không có địa chỉ này 999999')));
    });
  });
});
