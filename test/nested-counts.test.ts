import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * totalCount of a connection nested under a page of parents costs one grouped count per batch,
 * so the statements of a request do not grow with the number of parents, and each count is right.
 */
let gw: TestGateway;
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  admin = { authorization: `Bearer ${await mintDevToken(loadConfig().auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
});
afterAll(async () => gw?.close());

interface Case {
  name: string;
  query: string;
  /** The counts the query returns, in order, and the same counts computed with SQL. */
  counts(data: unknown): number[];
  expected(): Promise<number[]>;
}

type Edges<T> = { edges: Array<{ node: T }> };
const root = (source: 'reference' | 'population' | 'services' | 'opendata' | 'ioc') => gw.databases.connections.sources[source].root;

const cases: Case[] = [
  {
    name: 'agencies → dossiers, procedures, datasets and indicators',
    query: `query($n: Int!) { agencies(first: $n, orderBy: CODE) { edges { node { code
      dossiers(first: 1) { totalCount } procedures(first: 1) { totalCount }
      datasets(first: 1) { totalCount } indicators(first: 1) { totalCount } } } } }`,
    counts: (data) =>
      (data as { agencies: Edges<Record<string, { totalCount: number }>> }).agencies.edges.flatMap((e) => [
        e.node.dossiers!.totalCount, e.node.procedures!.totalCount, e.node.datasets!.totalCount, e.node.indicators!.totalCount,
      ]),
    async expected() {
      const { rows: agencies } = await sql<{ id: number }>`select id from reference.agencies order by code, id`.execute(root('reference'));
      const count = async (source: 'services' | 'opendata' | 'ioc', table: string, column: string, id: number) =>
        Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(`${source}.${table}`)} where ${sql.ref(column)} = ${id}`.execute(root(source))).rows[0]!.n);
      const out: number[] = [];
      for (const { id } of agencies) {
        out.push(
          await count('services', 'dossiers', 'agency_id', id),
          await count('services', 'procedures', 'agency_id', id),
          await count('opendata', 'datasets', 'publisher_id', id),
          await count('ioc', 'indicators', 'owner_id', id),
        );
      }
      return out;
    },
  },
  {
    name: 'districts → wards',
    query: `query($n: Int!) { administrativeUnits(first: $n, filter: { level: DISTRICT }, orderBy: CODE) { edges { node { children(first: 1) { totalCount } } } } }`,
    counts: (data) => (data as { administrativeUnits: Edges<{ children: { totalCount: number } }> }).administrativeUnits.edges.map((e) => e.node.children.totalCount),
    async expected() {
      const { rows } = await sql<{ n: number }>`select (select count(*) from reference.administrative_units c where c.parent_id = d.id) as n
        from reference.administrative_units d where d.level = 'DISTRICT' order by d.code, d.id`.execute(root('reference'));
      return rows.map((r) => Number(r.n));
    },
  },
  {
    name: 'citizens → dossiers and households → members',
    query: `query($n: Int!) { citizens(first: $n, orderBy: NEWEST) { edges { node { dossiers(first: 1) { totalCount } household { members(first: 1) { totalCount } } } } } }`,
    counts: (data) =>
      (data as { citizens: Edges<{ dossiers: { totalCount: number }; household: { members: { totalCount: number } } }> }).citizens.edges.flatMap((e) => [
        e.node.dossiers.totalCount,
        e.node.household.members.totalCount,
      ]),
    async expected() {
      const { rows } = await sql<{ id: number; household_id: number }>`select id, household_id from population.citizens order by id desc`.execute(root('population'));
      const out: number[] = [];
      for (const row of rows) {
        out.push(Number((await sql<{ n: number }>`select count(*) as n from services.dossiers where applicant_kind = 'CITIZEN' and applicant_id = ${row.id}`.execute(root('services'))).rows[0]!.n));
        out.push(Number((await sql<{ n: number }>`select count(*) as n from population.citizens where household_id = ${row.household_id}`.execute(root('population'))).rows[0]!.n));
      }
      return out;
    },
  },
];

describe.each(cases)('$name', (c) => {
  it('costs the same statements for 2 parents and for many, and counts right', async () => {
    const few = await gw.query(c.query, { n: 2 }, admin);
    const many = await gw.query(c.query, { n: 60 }, admin);
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.extensions!.sqlStatements!.total).toBe(few.extensions!.sqlStatements!.total);
    const counts = c.counts(many.data);
    expect(counts).toEqual((await c.expected()).slice(0, counts.length));
    expect(counts.some((n) => n > 0)).toBe(true);
  });
});
