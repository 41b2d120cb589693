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
let ref: Kysely<any>;
/** Admin with a declared purpose: every personal field is visible. */
let admin: Record<string, string>;
/** Admin without a purpose: name and ward only. */
let adminNoPurpose: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  db = gw.databases.connections.sources.population.root;
  ref = gw.databases.connections.sources.reference.root;
  const token = await mintDevToken(gw.databases.config.auth, { role: 'admin' });
  admin = { authorization: `Bearer ${token}`, 'x-purpose': 'CITIZEN_REQUEST' };
  adminNoPurpose = { authorization: `Bearer ${token}` };
});
afterAll(async () => gw?.close());

const e164 = (phone: string | null) => (phone ? `+84${phone.replace(/^0/, '')}` : null);

interface CitizenRow {
  id: number;
  national_id: string;
  full_name: string;
  gender: string;
  birth_date: string;
  phone: string | null;
  email: string | null;
  address: string;
  ward_id: number;
  household_id: number;
}

const rows = sqlRows(() => db);

async function citizenIds(where: string, orderBy = 'id'): Promise<number[]> {
  return (await rows<{ id: number }>(sql`select id from population.citizens where ${sql.raw(where)} order by ${sql.raw(orderBy)}`)).map((r) => r.id);
}

async function citizenRow(where: string): Promise<CitizenRow> {
  const [row] = await rows<CitizenRow>(sql`select * from population.citizens where ${sql.raw(where)} order by id limit 1`);
  return row!;
}

interface CitizenNode {
  id: string;
  fullName: string;
  nationalId: string;
  birthDate: string;
  gender: string;
}

const CITIZENS = `query($filter: CitizenFilter, $orderBy: CitizenOrder, $first: Int, $after: String, $last: Int, $before: String) {
  citizens(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id fullName nationalId birthDate gender } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function citizensPage(variables: Record<string, unknown>): Promise<Conn<CitizenNode>> {
  return ok(await gw.query<{ citizens: Conn<CitizenNode> }>(CITIZENS, variables, admin)).citizens;
}

/** Every citizen the filter selects, through the API (pages of 100), in NAME order. */
async function allCitizenIds(filter: Record<string, unknown>): Promise<{ ids: number[]; totalCount: number }> {
  let totalCount = -1;
  const ids = await walk(async (args) => {
    const page = await citizensPage({ filter, ...args });
    totalCount = page.totalCount!;
    return page;
  }, 'forward', 100);
  return { ids, totalCount };
}

async function wardIdsOfDistrict(districtId: number): Promise<number[]> {
  return (await rows<{ id: number }>(sql`select id from reference.administrative_units where parent_id = ${districtId} and level = 'WARD'`, ref)).map((r) => r.id);
}

/** The district with the most citizens that still leaves several pages to walk. */
async function busyDistrict(): Promise<{ id: number; wardIds: number[] }> {
  const districts = await rows<{ id: number }>(sql`select id from reference.administrative_units where level = 'DISTRICT' order by code`, ref);
  let best = { id: 0, wardIds: [] as number[], n: -1 };
  for (const { id } of districts) {
    const wardIds = await wardIdsOfDistrict(id);
    const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from population.citizens where ward_id = any(${wardIds}::int[])`);
    if (row!.n > best.n && row!.n < 400) best = { id, wardIds, n: row!.n };
  }
  expect(best.n).toBeGreaterThan(60);
  return best;
}

describe('citizens: filters', () => {
  it('filters by ward, with totalCount equal to a SQL count', async () => {
    const [busiest] = await rows<{ ward_id: number }>(sql`select ward_id from population.citizens group by ward_id order by count(*) desc, ward_id limit 1`);
    const wardId = busiest!.ward_id;
    const expected = await citizenIds(`ward_id = ${wardId}`, 'full_name_sort, id');
    expect(expected.length).toBeGreaterThan(1);
    const { ids, totalCount } = await allCitizenIds({ wardId: toGlobalId('AdministrativeUnit', wardId) });
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('filters by district: the citizens of all its wards', async () => {
    const district = await busyDistrict();
    const expected = await citizenIds(`ward_id in (${district.wardIds.join(',')})`, 'full_name_sort, id');
    const { ids, totalCount } = await allCitizenIds({ districtId: toGlobalId('AdministrativeUnit', district.id) });
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('filters by household', async () => {
    const [big] = await rows<{ household_id: number }>(sql`select household_id from population.citizens group by household_id order by count(*) desc, household_id limit 1`);
    const expected = await citizenIds(`household_id = ${big!.household_id}`, 'full_name_sort, id');
    expect(expected.length).toBeGreaterThan(2);
    const { ids, totalCount } = await allCitizenIds({ householdId: toGlobalId('Household', big!.household_id) });
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('filters by gender', async () => {
    const expected = await citizenIds(`gender = 'FEMALE'`, 'full_name_sort, id');
    const { ids, totalCount } = await allCitizenIds({ gender: 'FEMALE' });
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    const page = await citizensPage({ filter: { gender: 'MALE' }, first: 50 });
    expect(page.edges.every((e) => e.node.gender === 'MALE')).toBe(true);
    expect(page.totalCount).toBe((await citizenIds(`gender = 'MALE'`)).length);
  });

  it('filters by birth date, both bounds inclusive', async () => {
    const [from] = await rows<{ d: string }>(sql`select birth_date::text as d from population.citizens order by birth_date, id offset 300 limit 1`);
    const [to] = await rows<{ d: string }>(sql`select birth_date::text as d from population.citizens order by birth_date, id offset 600 limit 1`);
    const expected = await citizenIds(`birth_date >= '${from!.d}' and birth_date <= '${to!.d}'`, 'full_name_sort, id');
    const { ids, totalCount } = await allCitizenIds({ bornFrom: from!.d, bornTo: to!.d });
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    // The citizens born exactly on each bound are in.
    for (const day of [from!.d, to!.d]) {
      const onDay = await citizenIds(`birth_date = '${day}'`);
      expect(onDay.length).toBeGreaterThan(0);
      expect(onDay.every((id) => ids.includes(id))).toBe(true);
    }
    // One bound alone, and combined with another filter (ANDed).
    expect((await citizensPage({ filter: { bornFrom: from!.d }, first: 1 })).totalCount).toBe((await citizenIds(`birth_date >= '${from!.d}'`)).length);
    expect((await citizensPage({ filter: { bornTo: to!.d }, first: 1 })).totalCount).toBe((await citizenIds(`birth_date <= '${to!.d}'`)).length);
    const both = await allCitizenIds({ bornFrom: from!.d, bornTo: to!.d, gender: 'MALE' });
    expect(both.ids).toEqual(await citizenIds(`birth_date between '${from!.d}' and '${to!.d}' and gender = 'MALE'`, 'full_name_sort, id'));
  });

  it('searches names without diacritics (đ typed as d) and ignores case', async () => {
    const seeded = await citizenRow(`full_name ~ '[đĐ]'`);
    const plain = fold(seeded.full_name);
    expect(plain).not.toBe(seeded.full_name.toLowerCase());
    expect(plain).toMatch(/^[a-z ]+$/);
    const everyone = await rows<{ id: number; full_name: string }>(sql`select id, full_name from population.citizens`);
    const words = plain.split(' ');
    const expected = new Set(everyone.filter((c) => words.every((w) => fold(c.full_name).includes(w))).map((c) => c.id));

    const { ids, totalCount } = await allCitizenIds({ search: plain });
    expect(ids).toContain(seeded.id);
    expect(new Set(ids)).toEqual(expected);
    expect(totalCount).toBe(expected.size);
    // Upper case and reordered words find the same citizens.
    const shouted = await allCitizenIds({ search: [...words].reverse().join(' ').toUpperCase() });
    expect(new Set(shouted.ids)).toEqual(expected);
  });

  it('finds one citizen by exact national id', async () => {
    const seeded = await citizenRow('id = 17');
    const page = await citizensPage({ filter: { nationalId: seeded.national_id } });
    expect(page.edges.map((e) => rowIdOf(e.node.id))).toEqual([17]);
    expect(page.totalCount).toBe(1);
  });
});

describe('citizens: orders and keyset paging', () => {
  const orders = {
    NAME: 'full_name_sort, id',
    BIRTH_DATE: 'birth_date, id',
    NEWEST: 'id desc',
  } as const;

  it.each(Object.keys(orders) as Array<keyof typeof orders>)('visits every citizen of a district exactly once by %s, forward and backward', async (orderBy) => {
    const district = await busyDistrict();
    const filter = { districtId: toGlobalId('AdministrativeUnit', district.id) };
    const expected = await citizenIds(`ward_id in (${district.wardIds.join(',')})`, orders[orderBy]);
    const fetchPage = (args: Record<string, unknown>) => citizensPage({ filter, orderBy, ...args });

    const forward = await walk(fetchPage, 'forward', 17);
    expect(forward).toEqual(expected);
    expect(new Set(forward).size).toBe(forward.length);
    const backward = await walk(fetchPage, 'backward', 17);
    expect(backward).toEqual(expected);

    // The order is what the enum says, checked on the values themselves where JS can compare them.
    const page = await citizensPage({ filter, orderBy, first: 40 });
    if (orderBy === 'BIRTH_DATE') {
      const dates = page.edges.map((e) => e.node.birthDate);
      expect(dates).toEqual([...dates].sort());
    }
    if (orderBy === 'NEWEST') {
      const ids = page.edges.map((e) => rowIdOf(e.node.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    }
    expect(page.totalCount).toBe(expected.length);
  });

  it('gives consistent page info at both ends of the list', async () => {
    const district = await busyDistrict();
    const filter = { districtId: toGlobalId('AdministrativeUnit', district.id) };
    const first = await citizensPage({ filter, first: 5 });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.startCursor).toBe(first.edges[0]!.cursor);
    expect(first.pageInfo.endCursor).toBe(first.edges[4]!.cursor);
    const last = await citizensPage({ filter, last: 5 });
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const second = await citizensPage({ filter, first: 5, after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    // `before` the second page's first row, backward: exactly the first page again.
    const back = await citizensPage({ filter, last: 5, before: second.pageInfo.startCursor });
    expect(back.edges.map((e) => e.node.id)).toEqual(first.edges.map((e) => e.node.id));
  });

  it('answers an invalid cursor, a cursor of another ordering and a page too large with BAD_USER_INPUT', async () => {
    const notOurs = await gw.query(CITIZENS, { after: 'bm90LWEtY3Vyc29y' }, admin);
    expect(notOurs.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(notOurs.data?.citizens ?? null).toBeNull();
    const garbage = await gw.query(CITIZENS, { before: '%%%' }, admin);
    expect(garbage.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const byName = await citizensPage({ first: 1 });
    const otherOrder = await gw.query(CITIZENS, { orderBy: 'BIRTH_DATE', after: byName.pageInfo.endCursor }, admin);
    expect(otherOrder.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const tooLarge = await gw.query(CITIZENS, { first: 101 }, admin);
    expect(tooLarge.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

const CITIZEN_FIELDS = 'id fullName nationalId gender birthDate phone email address ward { name } household { id }';

function expectCitizen(node: Record<string, unknown>, row: CitizenRow, wardName: string): void {
  expect(node).toEqual({
    id: toGlobalId('Citizen', row.id),
    fullName: row.full_name,
    nationalId: row.national_id,
    gender: row.gender,
    birthDate: row.birth_date,
    phone: e164(row.phone),
    email: row.email,
    address: row.address,
    ward: { name: wardName },
    household: { id: toGlobalId('Household', row.household_id) },
  });
}

async function wardName(wardId: number): Promise<string> {
  const [row] = await rows<{ name: string }>(sql`select name from reference.administrative_units where id = ${wardId}`, ref);
  return row!.name;
}

describe('citizens: forged cursors', () => {
  it('answers a hand-made cursor of the right shape (ordering name and values) with BAD_USER_INPUT', async () => {
    const forge = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const newest = await gw.query(CITIZENS, { orderBy: 'NEWEST', after: forge(['citizen:newest', 'abc']) }, admin);
    expect(newest.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const born = await gw.query(CITIZENS, { orderBy: 'BIRTH_DATE', after: forge(['citizen:birth_date', 'not-a-date', 1]) }, admin);
    expect(born.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('citizen lookups', () => {
  it('finds a citizen by national id with every field (admin with a purpose)', async () => {
    const row = await citizenRow('phone is not null and email is not null');
    const data = ok(await gw.query<{ citizen: Record<string, unknown> }>(`query($n: String!) { citizen(nationalId: $n) { ${CITIZEN_FIELDS} } }`, { n: row.national_id }, admin));
    expectCitizen(data.citizen, row, await wardName(row.ward_id));
    const missing = await gw.query<{ citizen: unknown }>(`{ citizen(nationalId: "000000000000") { id } }`, undefined, admin);
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.citizen).toBeNull();
  });

  it('guards personal fields: an admin without a purpose sees name and ward only, and may not look up or filter by the rest', async () => {
    const row = await citizenRow('id = 5');
    const res = await gw.query<{ node: { fullName: string | null; nationalId: string | null; ward: { name: string } | null } }>(
      `query($id: ID!) { node(id: $id) { ... on Citizen { fullName nationalId ward { name } } } }`,
      { id: toGlobalId('Citizen', row.id) },
      adminNoPurpose,
    );
    expect(res.data!.node).toEqual({ fullName: row.full_name, nationalId: null, ward: { name: await wardName(row.ward_id) } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(res.errors![0]!.path).toEqual(['node', 'nationalId']);
    // A lookup by national id, or a filter on birth dates, would reveal them: refused.
    const lookup = await gw.query<{ citizen: unknown }>(`query($n: String!) { citizen(nationalId: $n) { fullName } }`, { n: row.national_id }, adminNoPurpose);
    expect(lookup.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(lookup.data?.citizen ?? null).toBeNull();
    const born = await gw.query(CITIZENS, { filter: { bornFrom: row.birth_date } }, adminNoPurpose);
    expect(born.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    // Name and ward are the admin's to filter and order by.
    const byWard = await gw.query<{ citizens: Conn<CitizenNode> }>(
      `query($w: ID!) { citizens(filter: { wardId: $w }, first: 100) { totalCount edges { node { fullName } } } }`,
      { w: toGlobalId('AdministrativeUnit', row.ward_id) },
      adminNoPurpose,
    );
    expect(byWard.errors).toBeUndefined();
    expect(byWard.data!.citizens.totalCount).toBe((await citizenIds(`ward_id = ${row.ward_id}`)).length);
  });

  it('me: a citizen reads their own record, without a purpose header', async () => {
    const row = await citizenRow('id = 42');
    const token = await mintDevToken(gw.databases.config.auth, { role: 'citizen', citizenId: row.national_id });
    const headers = { authorization: `Bearer ${token}` };
    const data = ok(await gw.query<{ me: Record<string, unknown> }>(`{ me { ${CITIZEN_FIELDS} } }`, undefined, headers));
    expectCitizen(data.me, row, await wardName(row.ward_id));
    // Someone else is outside the citizen's scope: null, like a missing one.
    const other = await citizenRow('id = 43');
    const res = await gw.query<{ citizen: unknown }>(`query($n: String!) { citizen(nationalId: $n) { id } }`, { n: other.national_id }, headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.citizen).toBeNull();
    // The citizen's list holds just themselves.
    const list = ok(await gw.query<{ citizens: Conn<{ id: string }> }>(`{ citizens { totalCount edges { node { id } } } }`, undefined, headers));
    expect(list.citizens.totalCount).toBe(1);
    expect(list.citizens.edges.map((e) => e.node.id)).toEqual([toGlobalId('Citizen', 42)]);
    // `me` of a caller who is not a citizen is null.
    expect(ok(await gw.query<{ me: unknown }>(`{ me { id } }`, undefined, admin)).me).toBeNull();
  });
});

interface HouseholdNode {
  id: string;
  code: string;
  address: string;
  memberCount: number;
  ward: { name: string; district: { name: string } };
  head: { id: string; nationalId: string; fullName: string } | null;
  members: Conn<{ id: string; fullName: string }>;
}

const HOUSEHOLD_FIELDS = `id code address memberCount ward { name district { name } } head { id nationalId fullName }
  members(first: 20) { totalCount edges { node { id fullName } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;

async function expectHousehold(node: HouseholdNode): Promise<void> {
  const id = rowIdOf(node.id);
  const [row] = await rows<{ code: string; address: string; ward_id: number; head_citizen_id: number | null; member_count: number }>(
    sql`select code, address, ward_id, head_citizen_id, member_count from population.households where id = ${id}`,
  );
  // Members come newest registration (id) first: an order by name would reveal names.
  const members = await citizenIds(`household_id = ${id}`, 'id desc');
  const [ward] = await rows<{ name: string; district: string }>(
    sql`select w.name, d.name as district from reference.administrative_units w join reference.administrative_units d on d.id = w.parent_id where w.id = ${row!.ward_id}`,
    ref,
  );
  expect(node.code).toBe(row!.code);
  expect(node.address).toBe(row!.address);
  expect(node.memberCount).toBe(row!.member_count);
  expect(node.memberCount).toBe(members.length);
  expect(node.ward).toEqual({ name: ward!.name, district: { name: ward!.district } });
  expect(node.members.totalCount).toBe(members.length);
  expect(node.members.edges.map((e) => rowIdOf(e.node.id))).toEqual(members.slice(0, 20));
  if (row!.head_citizen_id === null) {
    expect(node.head).toBeNull();
  } else {
    const head = await citizenRow(`id = ${row!.head_citizen_id}`);
    expect(node.head).toEqual({ id: toGlobalId('Citizen', head.id), nationalId: head.national_id, fullName: head.full_name });
    expect(members).toContain(head.id);
  }
}

describe('households (admin)', () => {
  it('lists households with members, head and ward; totalCount equal to SQL', async () => {
    const data = ok(
      await gw.query<{ households: Conn<HouseholdNode> }>(`{ households(first: 8) { totalCount edges { node { ${HOUSEHOLD_FIELDS} } } } }`, undefined, admin),
    );
    const [count] = await rows<{ n: number }>(sql`select count(*)::int as n from population.households`);
    expect(data.households.totalCount).toBe(count!.n);
    const expectedOrder = (await rows<{ id: number }>(sql`select id from population.households order by code, id limit 8`)).map((r) => r.id);
    expect(data.households.edges.map((e) => rowIdOf(e.node.id))).toEqual(expectedOrder);
    for (const { node } of data.households.edges) await expectHousehold(node);
  });

  it('filters households by ward and pages members', async () => {
    const [busy] = await rows<{ ward_id: number }>(sql`select ward_id from population.households group by ward_id order by count(*) desc, ward_id limit 1`);
    const expected = (await rows<{ id: number }>(sql`select id from population.households where ward_id = ${busy!.ward_id} order by code, id`)).map((r) => r.id);
    const data = ok(
      await gw.query<{ households: Conn<{ id: string }> }>(
        `query($w: ID!) { households(filter: { wardId: $w }, first: 100) { totalCount edges { node { id } } } }`,
        { w: toGlobalId('AdministrativeUnit', busy!.ward_id) },
        admin,
      ),
    );
    expect(data.households.totalCount).toBe(expected.length);
    expect(data.households.edges.map((e) => rowIdOf(e.node.id))).toEqual(expected);

    // The largest household's members, two at a time.
    const [big] = await rows<{ id: number }>(sql`select id from population.households order by member_count desc, id limit 1`);
    const members = await citizenIds(`household_id = ${big!.id}`, 'id desc');
    const query = `query($id: ID!, $after: String) { node(id: $id) { ... on Household { members(first: 2, after: $after) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } } } }`;
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { node: { members: Conn<{ id: string }> } } = ok(await gw.query<{ node: { members: Conn<{ id: string }> } }>(query, { id: toGlobalId('Household', big!.id), after }, admin));
      seen.push(...res.node.members.edges.map((e) => rowIdOf(e.node.id)));
      if (!res.node.members.pageInfo.hasNextPage) break;
      after = res.node.members.pageInfo.endCursor;
    }
    expect(seen).toEqual(members);
  });

  it('hides households from callers who are neither admin nor a member', async () => {
    const token = await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: 'STP' });
    const res = await gw.query<{ households: Conn<{ id: string }> }>(`{ households { totalCount edges { node { id } } } }`, undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.households).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('node(id) and nodes(ids) for citizens and households', () => {
  it('refetches a citizen and a household by global id', async () => {
    const row = await citizenRow('id = 123');
    const citizen = ok(await gw.query<{ node: Record<string, unknown> }>(`query($id: ID!) { node(id: $id) { __typename ... on Citizen { ${CITIZEN_FIELDS} } } }`, { id: toGlobalId('Citizen', 123) }, admin));
    const { __typename, ...fields } = citizen.node;
    expect(__typename).toBe('Citizen');
    expectCitizen(fields, row, await wardName(row.ward_id));

    const household = ok(
      await gw.query<{ node: HouseholdNode & { __typename: string } }>(`query($id: ID!) { node(id: $id) { __typename ... on Household { ${HOUSEHOLD_FIELDS} } } }`, { id: toGlobalId('Household', row.household_id) }, admin),
    );
    expect(household.node.__typename).toBe('Household');
    expect(household.node.id).toBe(toGlobalId('Household', row.household_id));
    await expectHousehold(household.node);
  });

  it('nodes(ids) keeps the order asked and gives null for a missing citizen or household', async () => {
    const [max] = await rows<{ c: number; h: number }>(sql`select (select max(id) from population.citizens)::int as c, (select max(id) from population.households)::int as h`);
    const a = await citizenRow('id = 7');
    const b = await citizenRow('id = 3');
    const ids = [
      toGlobalId('Household', a.household_id),
      toGlobalId('Citizen', 7),
      toGlobalId('Citizen', max!.c + 1),
      toGlobalId('Citizen', 3),
      toGlobalId('Household', max!.h + 1),
    ];
    const data = ok(
      await gw.query<{ nodes: Array<{ __typename: string; id: string; nationalId?: string; code?: string } | null> }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Citizen { nationalId } ... on Household { code } } }`,
        { ids },
        admin,
      ),
    );
    const [household] = await rows<{ code: string }>(sql`select code from population.households where id = ${a.household_id}`);
    expect(data.nodes).toEqual([
      { __typename: 'Household', id: ids[0], code: household!.code },
      { __typename: 'Citizen', id: ids[1], nationalId: a.national_id },
      null,
      { __typename: 'Citizen', id: ids[3], nationalId: b.national_id },
      null,
    ]);
  });
});
