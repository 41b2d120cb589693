import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/as.js';
import { selectsDuring } from '../../support/compiled-selects.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/**
 * A page of citizens selects only the columns its fields are made from (issue 14), with the id
 * and the ordering's key (the cursors carry them) and the national id (the guard and the access
 * log name the person by it); a field the plan does not list for its own module fetches them all.
 */
let gw: TestGateway;
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  admin = await as('admin', { purpose: 'LEGAL_OBLIGATION', auth: gw.databases.config.auth });
});
afterAll(async () => gw?.close());

interface Page {
  citizens: { pageInfo: { endCursor: string | null }; edges: Array<{ node: Record<string, unknown> }> };
}

async function citizensSelect(fields: string, orderBy = 'NAME') {
  const { result, selects } = await selectsDuring(() =>
    gw.query<Page>(`{ citizens(first: 5, orderBy: ${orderBy}) { pageInfo { endCursor } edges { node { ${fields} } } } }`, {}, admin),
  );
  expect(result.errors).toBeUndefined();
  const citizens = selects.filter((s) => s.table === 'citizens');
  expect(citizens).toHaveLength(1);
  return { page: result.data!.citizens, columns: citizens[0]!.columns.sort() };
}

describe('a page of citizens', () => {
  it('selects the columns of the fields asked, the keys and the national id', async () => {
    const { page, columns } = await citizensSelect('fullName nationalId ward { name }');
    expect(columns).toEqual(['full_name', 'full_name_sort', 'id', 'national_id', 'ward_id']);
    expect(page.edges).toHaveLength(5);
    for (const { node } of page.edges) expect(typeof node.fullName === 'string' && typeof node.nationalId === 'string').toBe(true);
  });

  it('follows the ordering asked: its key is selected for the cursor', async () => {
    const { page, columns } = await citizensSelect('phone', 'BIRTH_DATE');
    expect(columns).toEqual(['birth_date', 'id', 'national_id', 'phone']);
    expect(page.pageInfo.endCursor).toEqual(expect.any(String));
  });

  it('answers the same data as with every column', async () => {
    const fields = 'id fullName gender nationalId birthDate phone email address ward { name } household { code }';
    const narrow = await citizensSelect('fullName phone');
    const wide = await citizensSelect(fields);
    expect(wide.columns).toEqual(['address', 'birth_date', 'email', 'full_name', 'full_name_sort', 'gender', 'household_id', 'id', 'national_id', 'phone', 'ward_id']);
    expect(narrow.page.edges.map((e) => e.node)).toEqual(wide.page.edges.map(({ node }) => ({ fullName: node.fullName, phone: node.phone })));
  });
});

describe('a citizen by node(id)', () => {
  it('selects the columns of the fields asked of Citizen, the key and the national id', async () => {
    const first = await citizensSelect('id fullName');
    const id = (first.page.edges[0]!.node as { id: string }).id;
    const { result, selects } = await selectsDuring(() =>
      gw.query<{ node: Record<string, unknown> | null }>(`query ($id: ID!) { node(id: $id) { id ... on Citizen { fullName ward { name } } ... on Business { name } } }`, { id }, admin),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toMatchObject({ id, fullName: first.page.edges[0]!.node.fullName });
    const citizens = selects.filter((s) => s.table === 'citizens');
    expect(citizens).toHaveLength(1);
    expect(citizens[0]!.columns.sort()).toEqual(['full_name', 'id', 'national_id', 'ward_id']);
  });
});

