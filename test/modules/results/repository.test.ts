import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CursorCodec } from '../../../src/platform/db/cursors.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import {
  resultsRepositories,
  type ProcedureResultRow,
  type ResultOrder,
  type ResultsRepositories,
  type ResultWhere,
} from '../../../src/modules/results/db/index.js';
import { SEED_TODAY } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkBothWays, walkKeyset } from '../../support/keyset-walk.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');
/** Statuses are judged at a moment: the seed's reference day, and a later one when more have lapsed. */
const NOW = SEED_TODAY;
const LATER = new Date('2026-06-01T00:00:00+07:00');

let dbs: SeededDatabases;
let repos: ResultsRepositories;

beforeAll(async () => {
  dbs = await seededDatabases('tiny', 20241031);
  repos = resultsRepositories(dbs.connections.sources.results.db);
});
afterAll(async () => dbs?.close());

/** Raw SQL on the results schema: the independent answer the repository is checked against. */
async function query<T>(statement: RawBuilder<T>): Promise<T[]> {
  return (await statement.execute(dbs.connections.sources.results.root)).rows;
}

async function sqlIds(where: RawBuilder<unknown>): Promise<number[]> {
  return (await query(sql<{ id: number }>`select id from results.procedure_results where ${where} order by id`)).map((r) => Number(r.id));
}

/** Every row id a filter selects through the repository, paging 100 at a time. */
async function repoIds(filter: ResultWhere): Promise<number[]> {
  const ids = await walkKeyset((page) => repos.procedureResults.list(filter, 'NUMBER', cursors.page(page)), 'forward', 100, (r) => r.id);
  return ids.sort((a, b) => a - b);
}

/** The issuing agency with the most results: a one-agency list is small but has several pages. */
async function busiestAgency(): Promise<number> {
  const [row] = await query(sql<{ id: number }>`
    select issuing_agency_id as id from results.procedure_results group by 1 order by count(*) desc, 1 limit 1`);
  return Number(row!.id);
}

async function busiestHolders(kind: 'CITIZEN' | 'BUSINESS', n: number): Promise<number[]> {
  const rows = await query(sql<{ id: number }>`
    select holder_id as id from results.procedure_results where holder_kind = ${kind} group by 1 order by count(*) desc, 1 limit ${n}`);
  return rows.map((r) => Number(r.id));
}


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: ResultsRepositories) => T): T {
  return fn(resultsRepositories(countedOn(dbs.connections.sources.results.db, 'results', stats)));
}

describe('results: look-ups', () => {
  it('finds batches by id, number and dossier id, one statement each, inside a row scope', async () => {
    const rows = await query(sql<ProcedureResultRow>`select * from results.procedure_results order by id limit 6`);
    const ids = rows.map((r) => r.id);
    for (const [name, find, expected] of [
      ['ids', (r: ResultsRepositories) => r.procedureResults.findByIds([...ids, 10_000_000]), ids],
      ['numbers', (r: ResultsRepositories) => r.procedureResults.findByNumbers([...rows.map((r) => r.number), 'GP-NOPE-2024-000001']), ids],
      ['dossier ids', (r: ResultsRepositories) => r.procedureResults.findByDossierIds([...rows.map((r) => r.dossier_id), 10_000_000]), ids],
    ] as const) {
      const stats = new QueryStats();
      const found = await counting(stats, find);
      expect(stats.bySource.results, name).toBe(1);
      expect(found.map((r) => r.id).sort((a, b) => a - b), name).toEqual(expected);
    }
    const [first] = rows;
    expect(first!.issued_at).toBeInstanceOf(Date);
    expect(first!.number).toMatch(/^(GCN|GP|QD|XN|TL)-[A-Z0-9-]+-20\d\d-\d{6}$/);

    // The scope hides what it does not hold: other agencies' results answer as missing ones.
    const agencyId = rows[0]!.issuing_agency_id;
    const scoped = await repos.procedureResults.findByIds(ids, { issuingAgencyIds: [agencyId] });
    expect(scoped.map((r) => r.id).sort((a, b) => a - b)).toEqual(rows.filter((r) => r.issuing_agency_id === agencyId).map((r) => r.id));
    const holder = { kind: rows[0]!.holder_kind, id: rows[0]!.holder_id };
    const held = await repos.procedureResults.findByNumbers(rows.map((r) => r.number), { holders: [holder] });
    expect(held.every((r) => r.holder_kind === holder.kind && r.holder_id === holder.id)).toBe(true);
    expect(held.length).toBeGreaterThan(0);
  });
});

describe('results: filters and row scopes, equal to SQL', () => {
  it('each filter and scope selects what SQL selects, and counts the same', async () => {
    const agencyId = await busiestAgency();
    const [citizen] = await busiestHolders('CITIZEN', 1);
    const [business] = await busiestHolders('BUSINESS', 1);
    const from = new Date('2024-01-01T00:00:00+07:00');
    const to = new Date('2024-07-01T00:00:00+07:00');
    const lapsed = (at: Date) => sql`(valid_until is not null and valid_until <= ${at})`;
    const cases: Array<[string, ResultWhere, RawBuilder<unknown>]> = [
      ['everything', {}, sql`true`],
      ['kind', { kind: ['LICENCE', 'CONFIRMATION'] }, sql`kind in ('LICENCE', 'CONFIRMATION')`],
      ['issuing agency', { issuingAgencyId: agencyId }, sql`issuing_agency_id = ${agencyId}`],
      ['holder kind', { holderKind: 'BUSINESS' }, sql`holder_kind = 'BUSINESS'`],
      ['issued range', { issuedFrom: from, issuedTo: to }, sql`issued_at >= ${from} and issued_at < ${to}`],
      ['revoked', { status: ['REVOKED'], now: NOW }, sql`status = 'REVOKED'`],
      ['valid on the seed day', { status: ['VALID'], now: NOW }, sql`status = 'VALID' and not ${lapsed(NOW)}`],
      ['expired on the seed day', { status: ['EXPIRED'], now: NOW }, sql`status = 'EXPIRED' or (status = 'VALID' and ${lapsed(NOW)})`],
      ['valid later', { status: ['VALID'], now: LATER }, sql`status = 'VALID' and not ${lapsed(LATER)}`],
      ['expired later', { status: ['EXPIRED'], now: LATER }, sql`status = 'EXPIRED' or (status = 'VALID' and ${lapsed(LATER)})`],
      ['scope: an agency', { issuingAgencyIds: [agencyId] }, sql`issuing_agency_id = ${agencyId}`],
      [
        'scope: holders',
        { holders: [{ kind: 'CITIZEN', id: citizen! }, { kind: 'BUSINESS', id: business! }] },
        sql`(holder_kind = 'CITIZEN' and holder_id = ${citizen!}) or (holder_kind = 'BUSINESS' and holder_id = ${business!})`,
      ],
      [
        'scope and filter together',
        { issuingAgencyIds: [agencyId], kind: ['CERTIFICATE', 'LICENCE', 'DECISION', 'CONFIRMATION', 'EXTRACT'], status: ['VALID', 'EXPIRED'], now: NOW },
        sql`issuing_agency_id = ${agencyId} and status <> 'REVOKED'`,
      ],
    ];
    for (const [name, filter, where] of cases) {
      const expected = await sqlIds(where);
      expect(expected.length, name).toBeGreaterThan(0);
      expect(await repos.procedureResults.count(filter), name).toBe(expected.length);
      expect(await repoIds(filter), name).toEqual(expected);
    }
    // More results have lapsed later than on the seed day, none has come back.
    expect(await repos.procedureResults.count({ status: ['EXPIRED'], now: LATER })).toBeGreaterThan(await repos.procedureResults.count({ status: ['EXPIRED'], now: NOW }));
  });

  it('matches nothing for an empty row scope or status list', async () => {
    expect(await repos.procedureResults.count({ issuingAgencyIds: [] })).toBe(0);
    expect(await repos.procedureResults.count({ holders: [] })).toBe(0);
    expect(await repos.procedureResults.count({ status: [] })).toBe(0);
    expect(await repos.procedureResults.findByIds([1, 2, 3], { holders: [] })).toEqual([]);
  });

  it('applies the scope in SQL: a scoped page is full, in one statement, and its count is one statement', async () => {
    const agencyId = await busiestAgency();
    const [{ n }] = (await query(sql<{ n: number }>`select count(*)::int as n from results.procedure_results where issuing_agency_id = ${agencyId}`)) as [{ n: number }];
    expect(n).toBeGreaterThan(12);
    const stats = new QueryStats();
    const page = await counting(stats, (counted) => counted.procedureResults.list({ issuingAgencyIds: [agencyId] }, 'ISSUED_AT', cursors.page({ first: 12 })));
    // Filtering after the fetch would leave a short page of the newest results of all agencies.
    expect(page.edges).toHaveLength(12);
    expect(page.edges.every((e) => e.node.issuing_agency_id === agencyId)).toBe(true);
    expect(page.hasNextPage).toBe(true);
    const counted = new QueryStats();
    expect(await counting(counted, (counted) => counted.procedureResults.count({ issuingAgencyIds: [agencyId] }))).toBe(n);
    expect([stats.bySource.results, counted.bySource.results]).toEqual([1, 1]);
  });
});

describe('results: keyset pages', () => {
  const orders: Array<[ResultOrder, (a: ProcedureResultRow, b: ProcedureResultRow) => number]> = [
    ['ISSUED_AT', (a, b) => b.issued_at.getTime() - a.issued_at.getTime() || b.id - a.id],
    ['NUMBER', (a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : a.id - b.id)],
  ];

  it('pages each order forward and backward, visiting every result once', async () => {
    const agencyId = await busiestAgency();
    for (const filter of [{ issuingAgencyId: agencyId }, {}] as ResultWhere[]) {
      const total = await repos.procedureResults.count(filter);
      const size = total > 200 ? 61 : 7;
      for (const [order, compare] of orders) {
        const { forward, backward } = await walkBothWays((args) => repos.procedureResults.list(filter, order, cursors.page(args)), size, (row) => row);
        expect(forward, order).toHaveLength(total);
        expect(new Set(forward.map((r) => r.id)).size, order).toBe(total);
        expect(forward.map((r) => r.id), order).toEqual([...forward].sort(compare).map((r) => r.id));
        expect(backward.map((r) => r.id), order).toEqual(forward.map((r) => r.id));
      }
    }
  });

  it('refuses a cursor of another order', async () => {
    const page = await repos.procedureResults.list({}, 'ISSUED_AT', cursors.page({ first: 1 }));
    await expect(repos.procedureResults.list({}, 'NUMBER', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
  });

  it("gives each holder the page list() gives, and each holder's count, one statement per batch", async () => {
    const citizens = [...(await busiestHolders('CITIZEN', 6)), 999_999];
    for (const [order] of orders) {
      const stats = new QueryStats();
      const pages = await counting(stats, (counted) =>
        counted.procedureResults.pagesByHolder({ kind: 'CITIZEN', parentIds: citizens, order, page: cursors.page({ first: 2 }) }),
      );
      expect(stats.bySource.results, order).toBe(1);
      expect(pages.get(999_999)!.edges).toEqual([]);
      for (const id of citizens) {
        expect(pages.get(id), `${order} ${id}`).toEqual(await repos.procedureResults.list({ holderKind: 'CITIZEN', holders: [{ kind: 'CITIZEN', id }] }, order, cursors.page({ first: 2 })));
      }
      const cursor = pages.get(citizens[0]!)!.edges.at(-1)!.cursor;
      const next = await repos.procedureResults.pagesByHolder({ kind: 'CITIZEN', parentIds: [citizens[0]!], order, page: cursors.page({ first: 2, after: cursor }) });
      expect(next.get(citizens[0]!)).toEqual(
        await repos.procedureResults.list({ holders: [{ kind: 'CITIZEN', id: citizens[0]! }] }, order, cursors.page({ first: 2, after: cursor })),
      );
    }
    // Under a row scope (an agency's): only what the scope holds, counted in one statement.
    const agencyId = await busiestAgency();
    const businesses = await busiestHolders('BUSINESS', 5);
    const scope: ResultWhere = { issuingAgencyIds: [agencyId] };
    const pages = await repos.procedureResults.pagesByHolder({ kind: 'BUSINESS', parentIds: businesses, filter: scope, order: 'ISSUED_AT', page: cursors.page({ first: 10 }) });
    const stats = new QueryStats();
    const counts = await counting(stats, (counted) => counted.procedureResults.countByHolder({ kind: 'BUSINESS', parentIds: [...businesses, 999_999], filter: scope }));
    expect(stats.bySource.results).toBe(1);
    expect(counts.get(999_999)).toBe(0);
    for (const id of businesses) {
      const expected = await sqlIds(sql`holder_kind = 'BUSINESS' and holder_id = ${id} and issuing_agency_id = ${agencyId}`);
      expect(counts.get(id), `business ${id}`).toBe(expected.length);
      expect(pages.get(id)!.edges.map((e) => e.node.id).sort((a, b) => a - b)).toEqual(expected.slice(0, 10));
    }
  });
});

describe('results: the public verification', () => {
  it('finds a result only by its number and its document hash together, and reads no holder column', async () => {
    const rows = await query(sql<ProcedureResultRow>`select * from results.procedure_results order by id limit 3`);
    const [a, b, c] = rows as [ProcedureResultRow, ProcedureResultRow, ProcedureResultRow];
    const stats = new QueryStats();
    const found = await counting(stats, (counted) =>
      counted.procedureResults.verify([
        { number: a.number, documentSha256: a.document_sha256 },
        // Another result's hash, an unknown number.
        { number: b.number, documentSha256: c.document_sha256 },
        { number: 'GP-NOPE-2024-000001', documentSha256: a.document_sha256 },
      ]),
    );
    expect(stats.bySource.results).toBe(1);
    expect(found).toEqual([
      { number: a.number, document_sha256: a.document_sha256, kind: a.kind, status: a.status, issued_at: a.issued_at, valid_until: a.valid_until, issuing_agency_id: a.issuing_agency_id },
    ]);
    expect(Object.keys(found[0]!).filter((column) => column.startsWith('holder'))).toEqual([]);
    expect(await repos.procedureResults.verify([])).toEqual([]);
  });
});
