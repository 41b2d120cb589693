import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => gw?.close());

describe('administrative units and agencies over HTTP', () => {
  it('lists wards with their district, searching without diacritics', async () => {
    const res = await gw.query<{ administrativeUnits: { totalCount: number; edges: Array<{ node: { fullName: string; district: { name: string } } }> } }>(
      `{ administrativeUnits(filter: { search: "hoa khanh", level: WARD }) { totalCount edges { node { fullName district { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.administrativeUnits.totalCount).toBe(2);
    expect(res.data!.administrativeUnits.edges.map((e) => [e.node.fullName, e.node.district.name])).toEqual([
      ['Phường Hòa Khánh Bắc', 'Liên Chiểu'],
      ['Phường Hòa Khánh Nam', 'Liên Chiểu'],
    ]);
  });

  it('batches the children of a page of districts into one statement', async () => {
    const query = `query($n: Int!) { administrativeUnits(filter: { level: DISTRICT }, first: $n) {
      edges { node { name children(first: 3) { edges { node { name parent { name } } } } } } } }`;
    const small = await gw.query(query, { n: 2 });
    const large = await gw.query(query, { n: 8 });
    expect(large.errors).toBeUndefined();
    // One list query, one batched children query, one batched parent lookup: whatever the page size.
    expect(small.extensions!.sqlStatements!.total).toBe(3);
    expect(large.extensions!.sqlStatements!.total).toBe(3);
  });

  it('finds an agency by code and fetches it again by node id', async () => {
    const res = await gw.query<{ agency: { id: string; name: string; unit: { name: string } } }>(`{ agency(code: "STTTT") { id name unit { name } } }`);
    expect(res.data!.agency.name).toBe('Sở Thông tin và Truyền thông');
    const again = await gw.query<{ node: { name: string; __typename: string } }>(`query($id: ID!) { node(id: $id) { __typename ... on Agency { name } } }`, { id: res.data!.agency.id });
    expect(again.data!.node).toEqual({ __typename: 'Agency', name: 'Sở Thông tin và Truyền thông' });
  });

  it('answers a malformed id or cursor with BAD_USER_INPUT', async () => {
    const cursor = await gw.query(`{ agencies(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }`);
    expect(cursor.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const filter = await gw.query(`{ agencies(filter: { unitId: "nonsense" }) { edges { cursor } } }`);
    expect(filter.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const size = await gw.query(`{ agencies(first: 101) { edges { cursor } } }`);
    expect(size.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});
