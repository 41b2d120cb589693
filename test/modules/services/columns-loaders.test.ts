import { AliasNode, IdentifierNode, SelectQueryNode, TableNode, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/as.js';
import { columnLoader } from '../../../src/platform/loaders/batch.js';
import { statementName } from '../../../src/platform/db/connection.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';

/**
 * The by-id and by-code loaders select the columns the document asks (issue 14): a worklist's
 * procedures, agencies, citizens, businesses and wards by column; the wards of its citizens and
 * of its businesses in one statement; the officer's agency read by code once per process.
 * Statements are taken from the connections' events (every statement, with its node: the
 * loaders send a shape compiled once, so Kysely's compiler is not called per statement).
 */
let gw: TestGateway;
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  admin = await as('admin', { purpose: 'CITIZEN_REQUEST', auth: gw.databases.config.auth });
});
afterAll(async () => gw?.close());

interface Select {
  table: string;
  columns: string[];
  /** The names of what a page's statement brings along from the same source (platform/paging/page-with.ts). */
  joined: string[];
}

function selectOf(node: SelectQueryNode): Select {
  return {
    joined: (node.selections ?? [])
      .map((s) => (AliasNode.is(s.selection) && IdentifierNode.is(s.selection.alias) ? s.selection.alias.name : ''))
      .filter((name) => name.includes('$'))
      .sort(),
    table: (node.from?.froms ?? []).map((from) => (TableNode.is(from) ? from.table.identifier.name : '(subquery)')).join(','),
    columns: (node.selections ?? [])
      .map((s) => (s.selection.kind === 'SelectAllNode' ? '*' : (JSON.stringify(s.selection).match(/"column":\{"kind":"IdentifierNode","name":"(\w+)"/)?.[1] ?? '?')))
      .sort(),
  };
}

async function statementsOf<T = Record<string, unknown>>(query: string, headers: Record<string, string>): Promise<{ res: GraphQLResponse<T>; selects: Select[]; count: number }> {
  const nodes: Array<RootOperationNode | undefined> = [];
  const stop = gw.databases.connections.events.onStatement((_source, _seconds, _target, node) => nodes.push(node));
  try {
    const res = await gw.query<T>(query, {}, headers);
    return { res, selects: nodes.filter((n): n is SelectQueryNode => n !== undefined && SelectQueryNode.is(n)).map(selectOf), count: nodes.length };
  } finally {
    stop();
  }
}

const WORKLIST = `{
  dossiers(first: 50, orderBy: DUE_AT, filter: { status: [RECEIVED, PROCESSING, ADDITIONAL_INFO_REQUIRED] }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id code status dueAt procedure { code name } agency { code name }
      applicant { ... on Citizen { id fullName phone ward { fullName } } ... on Business { name ward { fullName } } } } }
  }
}`;

interface Worklist {
  dossiers: { edges: Array<{ node: { applicant: { fullName?: string | null; name?: string; ward: { fullName: string } | null } | null } }> };
}

describe('the by-id loaders of a worklist page', () => {
  it('select only the columns of the fields asked, and the key', async () => {
    const { res, selects } = await statementsOf<Worklist>(WORKLIST, admin);
    expect(res.errors).toBeUndefined();
    const of = (table: string) => selects.filter((s) => s.table === table).map((s) => s.columns);
    // The procedures come in the dossiers' statement (the same source), with only these columns.
    expect(of('procedures')).toEqual([]);
    expect(selects.filter((s) => s.joined.length > 0).map((s) => s.joined)).toEqual([['procedure$code', 'procedure$id', 'procedure$name']]);
    expect(of('agencies')).toEqual([['code', 'id', 'name']]);
    // national_id always: the guard and the access log name the person by it.
    expect(of('citizens')).toEqual([['full_name', 'id', 'national_id', 'phone', 'ward_id']]);
    expect(of('businesses')).toEqual([['id', 'name', 'ward_id']]);
  });

  it('load the wards of the citizens and of the businesses in one statement', async () => {
    // An officer's: the guard asks whether each citizen applied to the agency (a statement of its
    // own, after the citizens), and only then are the citizens' wards read.
    // An agency whose dossiers were filed by both citizens and businesses.
    const open = await gw.query<{ dossiers: { edges: Array<{ node: { agency: { code: string }; applicant: { __typename: string } | null } }> } }>(
      '{ dossiers(first: 100) { edges { node { agency { code } applicant { __typename } } } } }',
      {},
      admin,
    );
    const kinds = new Map<string, Set<string>>();
    for (const { node } of open.data!.dossiers.edges) {
      if (!kinds.has(node.agency.code)) kinds.set(node.agency.code, new Set());
      kinds.get(node.agency.code)!.add(node.applicant?.__typename ?? '');
    }
    const agency = [...kinds].find(([, k]) => k.has('Citizen') && k.has('Business'))![0];
    const officer = await as('officer', { agency, purpose: 'CITIZEN_REQUEST', auth: gw.databases.config.auth });
    // Its dossiers of every status (tiny's open ones are too few to have both kinds).
    const { res, selects } = await statementsOf<Worklist>(WORKLIST.replace(/, orderBy: DUE_AT, filter: \{[^}]*\}/, ''), officer);
    expect(res.errors).toBeUndefined();
    const applicants = res.data!.dossiers.edges.map((e) => e.node.applicant).filter((a) => a !== null);
    // The page has both kinds, each with its ward (else the test would prove nothing).
    expect(applicants.some((a) => 'fullName' in a && a.ward)).toBe(true);
    expect(applicants.some((a) => 'name' in a && a.ward)).toBe(true);
    // Two before the batch waves (one per applicant kind, in different ticks).
    expect(selects.filter((s) => s.table === 'administrative_units')).toEqual([{ table: 'administrative_units', columns: ['full_name', 'id'], joined: [] }]);
    // The wards, and the agencies unless the process's cache of agencies has them already (by
    // code and by id: src/modules/reference/loaders.ts, REFERENCE_CACHE_MS).
    expect(res.extensions!.sqlStatements!.bySource.reference! - selects.filter((s) => s.table === 'agencies').length).toBe(1);
  });

  it('select every column for a field whose object needs them all (a ward\'s district may be the ward itself)', async () => {
    const { res, selects } = await statementsOf('{ dossiers(first: 3) { edges { node { ward { name district { name population } } } } } }', admin);
    expect(res.errors).toBeUndefined();
    expect(selects.filter((s) => s.table === 'administrative_units')[0]!.columns).toEqual(['*']);
  });
});

describe("the officer's agency", () => {
  it('is read by code once per process, not once per request', async () => {
    const officer = await as('officer', { agency: 'UBND-ST', auth: gw.databases.config.auth });
    const query = '{ dossiers(first: 2) { edges { node { code } } } }';
    const first = await statementsOf(query, officer);
    const second = await statementsOf(query, officer);
    expect(first.res.errors).toBeUndefined();
    expect(second.res.data).toEqual(first.res.data);
    const byCode = (selects: Select[]) => selects.filter((s) => s.table === 'agencies');
    // The first request of the process may find it cached by an earlier test's: at most one read.
    expect(byCode(first.selects).length).toBeLessThanOrEqual(1);
    expect(byCode(second.selects)).toHaveLength(0);
    expect(second.res.extensions!.sqlStatements!.bySource.reference).toBeUndefined();
    expect((second.res.data as { dossiers: { edges: unknown[] } }).dossiers.edges.length).toBe(2);
  });

  it('an unknown code is asked every time (not cached) and sees nothing', async () => {
    const officer = await as('officer', { agency: 'NO-SUCH-AGENCY', auth: gw.databases.config.auth });
    for (let i = 0; i < 2; i += 1) {
      const { res, selects } = await statementsOf<{ dossiers: { edges: unknown[] } | null }>('{ dossiers(first: 2) { edges { node { code } } } }', officer);
      expect(selects.filter((s) => s.table === 'agencies')).toHaveLength(1);
      expect(res.data?.dossiers?.edges ?? []).toEqual([]);
    }
  });
});

describe('columnLoader', () => {
  type Row = { id: number; a?: string; b?: string; c?: string };
  const plan = { always: ['id'] as const, fields: { a: ['a'], b: ['b'], c: ['c'] } } as const;
  const asked = (...fields: string[]) => new Set(fields);
  function make() {
    const calls: Array<{ keys: number[]; columns: string[] | undefined }> = [];
    const loader = columnLoader<number, Row>(
      async (keys, columns) => {
        calls.push({ keys: [...keys], columns: columns ? [...columns].sort() : undefined });
        return keys.filter((k) => k !== 404).map((id) => {
          const row: Row = { id };
          for (const column of columns ?? ['a', 'b', 'c']) if (column !== 'id') row[column as 'a'] = `${column}${id}`;
          return row;
        });
      },
      (row) => row.id,
      { always: [...plan.always], fields: { a: [...plan.fields.a], b: [...plan.fields.b], c: [...plan.fields.c] } },
      { batch: true },
    );
    return { calls, loader };
  }

  it('batches a tick\'s loads into one statement with the union of their columns', async () => {
    const { calls, loader } = make();
    const [one, two] = await Promise.all([loader.load(1, asked('a')), loader.load(2, asked('b'))]);
    expect(calls).toEqual([{ keys: [1, 2], columns: ['a', 'b', 'id'] }]);
    expect(one).toEqual({ id: 1, a: 'a1', b: 'b1' });
    expect(two).toEqual({ id: 2, a: 'a2', b: 'b2' });
  });

  it('answers a row it has from the cache, and completes one that lacks a column asked later', async () => {
    const { calls, loader } = make();
    await loader.load(1, asked('a'));
    expect(await loader.load(1, asked('a'))).toEqual({ id: 1, a: 'a1' });
    expect(calls).toHaveLength(1);
    const completed = await loader.load(1, asked('a', 'c'));
    expect(completed).toEqual({ id: 1, a: 'a1', c: 'c1' });
    expect(calls[1]).toEqual({ keys: [1], columns: ['a', 'c', 'id'] });
    // Every column once asked is kept: a later narrower load needs no statement.
    expect(await loader.load(1, asked('c'))).toEqual({ id: 1, a: 'a1', c: 'c1' });
    expect(calls).toHaveLength(2);
  });

  it('selects every column without fields or for a field its plan does not know, and answers null for a missing key', async () => {
    const { calls, loader } = make();
    expect(await loader.load(404, asked('a'))).toBeNull();
    expect(await loader.load(404)).toBeNull();
    expect(await loader.load(3, asked('a', 'unknown'))).toEqual({ id: 3, a: 'a3', b: 'b3', c: 'c3' });
    expect(calls).toEqual([
      { keys: [404], columns: ['a', 'id'] },
      { keys: [3], columns: undefined },
    ]);
  });

  it('with batching off (the naive baseline), one statement per load', async () => {
    const calls: number[][] = [];
    const loader = columnLoader<number, Row>(async (keys) => (calls.push([...keys]), keys.map((id) => ({ id }))), (row) => row.id, { always: ['id'], fields: {} }, { batch: false });
    await Promise.all([loader.load(1, new Set()), loader.load(2, new Set())]);
    expect(calls).toEqual([[1], [2]]);
  });
});

describe('statement names (PostgreSQL prepared statements)', () => {
  it('names a text from its second sighting on, the same name each time, derived from the text', () => {
    const text = `select "id" from "t" where "id" = any($1::int[]) -- ${Math.random()}`;
    expect(statementName(text)).toBeUndefined();
    const name = statementName(text);
    expect(name).toMatch(/^g_[\w-]{27}$/);
    expect(statementName(text)).toBe(name);
    expect(statementName(`${text} `)).toBeUndefined();
  });
});
