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
let ref: Kysely<any>;
/** Admin with a declared purpose: the legal representatives' personal fields are visible. */
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.business.root;
  pop = gw.databases.connections.sources.population.root;
  ref = gw.databases.connections.sources.reference.root;
  const token = await mintDevToken(gw.databases.config.auth, { role: 'admin' });
  admin = { authorization: `Bearer ${token}`, 'x-purpose': 'CITIZEN_REQUEST' };
});
afterAll(async () => gw?.close());

const rows = sqlRows(() => db);

interface BusinessRow {
  id: number;
  kind: string;
  code: string;
  name: string;
  legal_form: string;
  industry_code: string;
  industry_name: string;
  digital_tech: boolean;
  status: string;
  registered_on: string;
  charter_capital: number | string | null;
  address: string;
  ward_id: number;
  legal_representative_id: number;
  phone: string | null;
  email: string | null;
  website: string | null;
}

async function businessIds(where: string, orderBy = 'name_sort, id'): Promise<number[]> {
  return (await rows<{ id: number }>(sql`select id from business.businesses where ${sql.raw(where)} order by ${sql.raw(orderBy)}`)).map((r) => r.id);
}

async function businessRow(where: string): Promise<BusinessRow> {
  const [row] = await rows<BusinessRow>(sql`select * from business.businesses where ${sql.raw(where)} order by id limit 1`);
  return row!;
}

interface BusinessNode {
  id: string;
  code: string;
  name: string;
  registeredOn: string;
  charterCapital: number | null;
}

const BUSINESSES = `query($filter: BusinessFilter, $orderBy: BusinessOrder, $first: Int, $after: String, $last: Int, $before: String) {
  businesses(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id code name registeredOn charterCapital } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function businessesPage(variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Conn<BusinessNode>> {
  return ok(await gw.query<{ businesses: Conn<BusinessNode> }>(BUSINESSES, variables, headers)).businesses;
}

/** The whole filtered list through the API (pages of 7, so that most lists take several), NAME order. */
async function listed(filter: Record<string, unknown>): Promise<{ ids: number[]; totalCount: number }> {
  let totalCount = -1;
  const ids = await walk(async (args) => {
    const page = await businessesPage({ filter, ...args });
    totalCount = page.totalCount!;
    return page;
  }, 'forward', 7);
  return { ids, totalCount };
}

async function expectFilter(filter: Record<string, unknown>, where: string, atLeast = 1): Promise<number[]> {
  const expected = await businessIds(where);
  expect(expected.length).toBeGreaterThanOrEqual(atLeast);
  const { ids, totalCount } = await listed(filter);
  expect(ids).toEqual(expected);
  expect(totalCount).toBe(expected.length);
  return ids;
}

describe('businesses: filters, totalCount equal to SQL', () => {
  it('all businesses (public caller)', async () => {
    const expected = await businessIds('true');
    const { ids, totalCount } = await listed({});
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('by kind, status and legal form', async () => {
    await expectFilter({ kind: 'ENTERPRISE' }, `kind = 'ENTERPRISE'`, 2);
    await expectFilter({ kind: 'HOUSEHOLD_BUSINESS' }, `kind = 'HOUSEHOLD_BUSINESS'`, 2);
    await expectFilter({ status: 'DISSOLVED' }, `status = 'DISSOLVED'`, 2);
    await expectFilter({ status: 'ACTIVE', kind: 'HOUSEHOLD_BUSINESS' }, `status = 'ACTIVE' and kind = 'HOUSEHOLD_BUSINESS'`, 2);
    const [form] = await rows<{ legal_form: string }>(sql`select legal_form from business.businesses where kind = 'ENTERPRISE' group by 1 order by count(*) desc, 1 limit 1`);
    await expectFilter({ legalForm: form!.legal_form }, `legal_form = '${form!.legal_form}'`, 2);
  });

  it('by district (any of its wards) and by ward', async () => {
    const districts = await rows<{ id: number; wards: number[] }>(
      sql`select d.id, array_agg(w.id order by w.id) as wards from reference.administrative_units d join reference.administrative_units w on w.parent_id = d.id
          where d.level = 'DISTRICT' group by d.id order by d.id`,
      ref,
    );
    let tested = 0;
    for (const district of districts) {
      const where = `ward_id in (${district.wards.join(',')})`;
      const expected = await businessIds(where);
      const { ids, totalCount } = await listed({ districtId: toGlobalId('AdministrativeUnit', district.id) });
      expect(ids).toEqual(expected);
      expect(totalCount).toBe(expected.length);
      if (expected.length > 0) tested += 1;
    }
    expect(tested).toBeGreaterThan(2);
    const [ward] = await rows<{ ward_id: number }>(sql`select ward_id from business.businesses group by 1 order by count(*) desc, 1 limit 1`);
    await expectFilter({ wardId: toGlobalId('AdministrativeUnit', ward!.ward_id) }, `ward_id = ${ward!.ward_id}`, 2);
  });

  it('by VSIC industry code: one industry, a division prefix, a one-digit section prefix; a pattern matches nothing', async () => {
    const [top] = await rows<{ industry_code: string }>(sql`select industry_code from business.businesses group by 1 order by count(*) desc, 1 limit 1`);
    const code = top!.industry_code;
    await expectFilter({ industryCode: code }, `industry_code = '${code}'`, 2);
    const division = code.slice(0, 2);
    const inDivision = await expectFilter({ industryCode: division }, `industry_code like '${division}%'`, 2);
    expect(inDivision.length).toBeGreaterThanOrEqual((await businessIds(`industry_code = '${code}'`)).length);
    await expectFilter({ industryCode: code.slice(0, 1) }, `industry_code like '${code.slice(0, 1)}%'`, 2);
    expect((await businessesPage({ filter: { industryCode: '4%' } })).totalCount).toBe(0);
    expect((await businessesPage({ filter: { industryCode: '_' } })).totalCount).toBe(0);
  });

  it('by digital technology flag', async () => {
    await expectFilter({ digitalTech: true }, 'digital_tech', 1);
    await expectFilter({ digitalTech: false }, 'not digital_tech', 2);
  });

  it('searches names without diacritics (đ typed as d), case ignored', async () => {
    const seeded = await businessRow(`name ~ '[đĐ]'`);
    const everyone = await rows<{ id: number; name: string }>(sql`select id, name from business.businesses`);
    // Two distinctive words of the name, typed plainly.
    const words = fold(seeded.name).split(' ').slice(-2);
    const term = words.join(' ');
    expect(term).toMatch(/^[a-z ]+$/);
    const expected = new Set(everyone.filter((b) => words.every((w) => fold(b.name).includes(w))).map((b) => b.id));
    const { ids, totalCount } = await listed({ search: term });
    expect(ids).toContain(seeded.id);
    expect(new Set(ids)).toEqual(expected);
    expect(totalCount).toBe(expected.size);
    // The whole name without diacritics, in capitals, finds it too.
    const whole = await listed({ search: fold(seeded.name).toUpperCase() });
    expect(whole.ids).toContain(seeded.id);
    // A common word: many businesses, compared with the same folding done here.
    const common = new Set(everyone.filter((b) => fold(b.name).includes('cong ty')).map((b) => b.id));
    expect(common.size).toBeGreaterThan(5);
    expect(new Set((await listed({ search: 'cong ty' })).ids)).toEqual(common);
  });

  it('by registration date, both bounds inclusive', async () => {
    const dates = (await rows<{ d: string }>(sql`select registered_on::text as d from business.businesses order by registered_on, id`)).map((r) => r.d);
    const from = dates[8]!;
    const to = dates[26]!;
    const ids = await expectFilter({ registeredFrom: from, registeredTo: to }, `registered_on between '${from}' and '${to}'`, 10);
    for (const day of [from, to]) expect(ids).toEqual(expect.arrayContaining(await businessIds(`registered_on = '${day}'`)));
    await expectFilter({ registeredFrom: from }, `registered_on >= '${from}'`, 10);
    await expectFilter({ registeredTo: to }, `registered_on <= '${to}'`, 10);
  });
});

describe('businesses: orders and keyset paging', () => {
  const orders = {
    NAME: 'name_sort, id',
    REGISTERED_ON: 'registered_on desc, id desc',
    CHARTER_CAPITAL: 'coalesce(charter_capital, -1) desc, id desc',
  } as const;

  it.each(Object.keys(orders) as Array<keyof typeof orders>)('visits every business exactly once by %s, forward and backward', async (orderBy) => {
    const expected = await businessIds('true', orders[orderBy]);
    const fetchPage = (args: Record<string, unknown>) => businessesPage({ orderBy, ...args });
    const forward = await walk(fetchPage, 'forward', 4);
    expect(forward).toEqual(expected);
    expect(new Set(forward).size).toBe(forward.length);
    expect(await walk(fetchPage, 'backward', 4)).toEqual(expected);

    // On a filtered list too (enterprises only), so the bound and the filter combine.
    const enterprises = await businessIds(`kind = 'ENTERPRISE'`, orders[orderBy]);
    const filtered = (args: Record<string, unknown>) => businessesPage({ orderBy, filter: { kind: 'ENTERPRISE' }, ...args });
    expect(await walk(filtered, 'forward', 6)).toEqual(enterprises);
    expect(await walk(filtered, 'backward', 6)).toEqual(enterprises);

    const all = await businessesPage({ orderBy, first: 100 });
    if (orderBy === 'REGISTERED_ON') {
      const days = all.edges.map((e) => e.node.registeredOn);
      expect(days).toEqual([...days].sort().reverse());
    }
    if (orderBy === 'CHARTER_CAPITAL') {
      const capitals = all.edges.map((e) => e.node.charterCapital ?? -1);
      expect(capitals).toEqual([...capitals].sort((a, b) => b - a));
      // Businesses without a charter capital (household businesses) come last.
      expect(all.edges.at(-1)!.node.charterCapital).toBeNull();
    }
  });

  it('refuses a cursor of another ordering and a malformed one', async () => {
    const byName = await businessesPage({ first: 2 });
    const res = await gw.query(BUSINESSES, { orderBy: 'REGISTERED_ON', after: byName.pageInfo.endCursor });
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const malformed = await gw.query(BUSINESSES, { after: 'eyJub3QiOiJvdXJzIn0' });
    expect(malformed.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

const BUSINESS_FIELDS = `id kind code name legalForm industryCode industryName digitalTech status registeredOn charterCapital address phone email website
  ward { name }`;

async function expectBusiness(node: Record<string, unknown>, row: BusinessRow): Promise<void> {
  const [ward] = await rows<{ name: string }>(sql`select name from reference.administrative_units where id = ${row.ward_id}`, ref);
  expect(node).toEqual({
    id: toGlobalId('Business', row.id),
    kind: row.kind,
    code: row.code,
    name: row.name,
    legalForm: row.legal_form,
    industryCode: row.industry_code,
    industryName: row.industry_name,
    digitalTech: row.digital_tech,
    status: row.status,
    registeredOn: row.registered_on,
    charterCapital: row.charter_capital === null ? null : Number(row.charter_capital),
    address: row.address,
    phone: row.phone,
    email: row.email,
    website: row.website,
    ward: { name: ward!.name },
  });
}

describe('one business', () => {
  it('business(code) gives the public profile, for an enterprise and a household business', async () => {
    for (const kind of ['ENTERPRISE', 'HOUSEHOLD_BUSINESS']) {
      const row = await businessRow(`kind = '${kind}'`);
      const data = ok(await gw.query<{ business: Record<string, unknown> }>(`query($c: String!) { business(code: $c) { ${BUSINESS_FIELDS} } }`, { c: row.code }));
      await expectBusiness(data.business, row);
    }
    const missing = await gw.query<{ business: unknown }>(`{ business(code: "0000000000") { id } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.business).toBeNull();
  });

  it('node(id) refetches a business', async () => {
    const row = await businessRow('id = 20');
    const data = ok(await gw.query<{ node: Record<string, unknown> }>(`query($id: ID!) { node(id: $id) { __typename ... on Business { ${BUSINESS_FIELDS} } } }`, { id: toGlobalId('Business', 20) }));
    const { __typename, ...fields } = data.node;
    expect(__typename).toBe('Business');
    await expectBusiness(fields, row);
    const [max] = await rows<{ n: number }>(sql`select max(id)::int as n from business.businesses`);
    const missing = await gw.query<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Business', max!.n + 1) });
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.node).toBeNull();
  });

  it('legalRepresentative is the Citizen of the register, with guarded personal fields', async () => {
    const row = await businessRow(`kind = 'ENTERPRISE'`);
    const [citizen] = await rows<{ national_id: string; full_name: string; birth_date: string }>(
      sql`select national_id, full_name, birth_date from population.citizens where id = ${row.legal_representative_id}`,
      pop,
    );
    const query = `query($c: String!) { business(code: $c) { name legalRepresentative { __typename id fullName nationalId birthDate } } }`;
    const data = ok(await gw.query<{ business: { name: string; legalRepresentative: Record<string, unknown> } }>(query, { c: row.code }, admin));
    expect(data.business).toEqual({
      name: row.name,
      legalRepresentative: {
        __typename: 'Citizen',
        id: toGlobalId('Citizen', row.legal_representative_id),
        fullName: citizen!.full_name,
        nationalId: citizen!.national_id,
        birthDate: citizen!.birth_date,
      },
    });
    // The public sees the business and its representative's name (public register data), nothing
    // else of the person: FORBIDDEN on each other personal field, the rest served.
    const open = await gw.query<{ business: { name: string; legalRepresentative: Record<string, unknown> } }>(query, { c: row.code });
    expect(open.data!.business.name).toBe(row.name);
    expect(open.data!.business.legalRepresentative).toEqual({
      __typename: 'Citizen',
      id: toGlobalId('Citizen', row.legal_representative_id),
      fullName: citizen!.full_name,
      nationalId: null,
      birthDate: null,
    });
    expect(open.errors!.map((e) => [e.extensions!.code, e.path!.join('.')]).sort()).toEqual([
      ['FORBIDDEN', 'business.legalRepresentative.birthDate'],
      ['FORBIDDEN', 'business.legalRepresentative.nationalId'],
    ]);
  });

  it("L5: a household business named after its owner answers the public with the same name on every path (one answer per fact)", async () => {
    const named = await rows<{ code: string; name: string; legal_representative_id: number }>(
      sql`select code, name, legal_representative_id from business.businesses where kind = 'HOUSEHOLD_BUSINESS' order by id`,
    );
    const people = await rows<{ id: number; full_name: string }>(sql`select id, full_name from population.citizens where id = any(${named.map((b) => b.legal_representative_id)}::int[])`, pop);
    const nameOf = new Map(people.map((p) => [p.id, p.full_name]));
    const afterOwner = named.find((b) => b.name === `Hộ kinh doanh ${nameOf.get(b.legal_representative_id)}`);
    expect(afterOwner, 'a household business named after its owner').toBeDefined();
    const owner = nameOf.get(afterOwner!.legal_representative_id)!;
    // The name search (public) finds the business, and its representative's name agrees with it.
    const found = await gw.query<{ businesses: { edges: Array<{ node: { code: string; name: string; legalRepresentative: { id: string; fullName: string | null } } }> } }>(
      `query($s: String!) { businesses(first: 50, filter: { search: $s }) { edges { node { code name legalRepresentative { id fullName } } } } }`,
      { s: owner },
    );
    expect(found.errors).toBeUndefined();
    const edge = found.data!.businesses.edges.find((e) => e.node.code === afterOwner!.code)!;
    expect(edge.node).toEqual({
      code: afterOwner!.code,
      name: `Hộ kinh doanh ${owner}`,
      legalRepresentative: { id: toGlobalId('Citizen', afterOwner!.legal_representative_id), fullName: owner },
    });
    // Every business with a representative answers their name to the public: none is FORBIDDEN.
    const all = await gw.query<{ businesses: { edges: Array<{ node: { legalRepresentative: { fullName: string | null } } }> } }>(
      `{ businesses(first: 100) { edges { node { legalRepresentative { fullName } } } } }`,
    );
    expect(all.errors).toBeUndefined();
    expect(all.data!.businesses.edges.every((e) => typeof e.node.legalRepresentative.fullName === 'string')).toBe(true);
  });
});

describe('Citizen.businesses', () => {
  async function expectedByRepresentative(): Promise<Map<number, string[]>> {
    const all = await rows<{ legal_representative_id: number; code: string }>(
      sql`select legal_representative_id, code from business.businesses order by legal_representative_id, name_sort, id`,
    );
    const byRep = new Map<number, string[]>();
    for (const b of all) byRep.set(b.legal_representative_id, [...(byRep.get(b.legal_representative_id) ?? []), b.code]);
    return byRep;
  }

  it('gives each representative their businesses, batched in one business statement for the whole page', async () => {
    const byRep = await expectedByRepresentative();
    expect([...byRep.values()].some((codes) => codes.length > 1)).toBe(true);
    // Every representative, plus two citizens who represent nothing.
    const [max] = await rows<{ id: number }>(sql`select max(id)::int as id from population.citizens`, pop);
    const idle = [1, max!.id].filter((id) => !byRep.has(id));
    const citizenIds = [...byRep.keys(), ...idle];
    const data = await gw.query<{ nodes: Array<{ id: string; businesses: Conn<{ code: string }> }> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Citizen { businesses(first: 10) { edges { node { code } } pageInfo { hasNextPage } } } } }`,
      { ids: citizenIds.map((id) => toGlobalId('Citizen', id)) },
      admin,
    );
    const nodes = ok(data).nodes;
    expect(nodes).toHaveLength(citizenIds.length);
    nodes.forEach((node, i) => {
      expect(rowIdOf(node.id)).toBe(citizenIds[i]);
      expect(node.businesses.edges.map((e) => e.node.code)).toEqual(byRep.get(citizenIds[i]!) ?? []);
      expect(node.businesses.pageInfo.hasNextPage).toBe(false);
    });
    // One statement for the citizens (batched node lookups), one for all their businesses.
    expect(data.extensions!.sqlStatements!.bySource).toEqual({ population: 1, business: 1 });
  });

  it('pages one representative’s businesses and counts them', async () => {
    const byRep = await expectedByRepresentative();
    const [repId, codes] = [...byRep.entries()].find(([, c]) => c.length > 1)!;
    const query = `query($id: ID!, $after: String) { node(id: $id) { ... on Citizen { businesses(first: 1, after: $after) {
      totalCount edges { node { code legalRepresentative { id } } } pageInfo { hasNextPage endCursor } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { node: { businesses: Conn<{ code: string; legalRepresentative: { id: string } }> } } = ok(
        await gw.query<{ node: { businesses: Conn<{ code: string; legalRepresentative: { id: string } }> } }>(query, { id: toGlobalId('Citizen', repId), after }, admin),
      );
      expect(res.node.businesses.totalCount).toBe(codes.length);
      for (const edge of res.node.businesses.edges) {
        expect(edge.node.legalRepresentative.id).toBe(toGlobalId('Citizen', repId));
        seen.push(edge.node.code);
      }
      if (!res.node.businesses.pageInfo.hasNextPage) break;
      after = res.node.businesses.pageInfo.endCursor;
    }
    expect(seen).toEqual(codes);
  });

  it('counts the businesses of a page of citizens without a statement per citizen', async () => {
    const query = `query($n: Int!) { citizens(first: $n) { edges { node { businesses { totalCount } } } } }`;
    const small = await gw.query(query, { n: 10 }, admin);
    const large = await gw.query(query, { n: 100 }, admin);
    expect(large.extensions!.sqlStatements!.total).toBe(small.extensions!.sqlStatements!.total);
  });
});
