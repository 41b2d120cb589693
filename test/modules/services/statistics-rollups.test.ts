/**
 * Dossier statistics from the rollups (issue 14): for every grouping, a set of filters and each
 * role's statistics scope, the rollup answers equal the raw aggregate over `dossiers` (computed
 * here in SQL), after the seed's COPY and after a source system's inserts, updates and deletes;
 * the dashboard reads the rollups in one statement for all its fields, never the dossiers.
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { rowScope } from '../../../src/access/row-scopes.js';
import { ROLES } from '../../../src/access/vocabulary.js';
import { DossierStatsRepository, type DossierStatsWhere } from '../../../src/modules/services/db/dossier-stats.repository.js';
import { FILL_MONTH_AGENCY } from '../../../src/modules/services/db/migrations/0005_month_agency_rollup.js';
import { MONTH_AGENCY_TABLE, OPEN_DUE_TABLE, ROLLUP_GRAINS } from '../../../src/modules/services/db/rollups.js';
import { DOSSIER_DIMENSIONS, type DossierDimension } from '../../../src/modules/services/db/vocabulary.js';
import { statisticsAgencyIdsOf } from '../../../src/modules/services/scope.js';
import { SEED_TODAY } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/** Every subset of the dimensions, the empty one included. */
const GROUPINGS: DossierDimension[][] = Array.from({ length: 1 << DOSSIER_DIMENSIONS.length }, (_, mask) =>
  DOSSIER_DIMENSIONS.filter((_, i) => mask & (1 << i)),
);
const TABLES = [...ROLLUP_GRAINS.map((g) => g.table), OPEN_DUE_TABLE, MONTH_AGENCY_TABLE];

/** Midnight in Đà Nẵng of a 'YYYY-MM-DD' day. */
const day = (d: string): Date => new Date(`${d}T00:00:00+07:00`);
const at = (t: string): Date => new Date(t);

interface Counts {
  agencyId: number | null;
  month: string | null;
  channel: string | null;
  status: string | null;
  total: number;
  online: number;
  resolved: number;
  onTime: number;
  overdue: number;
}

type Root = Kysely<unknown>;

/** The reference: the same figures aggregated straight from the dossiers. */
async function rawAggregate(root: Root, dims: readonly DossierDimension[], where: DossierStatsWhere, now: Date): Promise<{ totals: Counts; groups: Counts[] }> {
  const columns: Record<DossierDimension, string> = {
    AGENCY: 'agency_id',
    MONTH: `to_char(date_trunc('month', submitted_at at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM')`,
    CHANNEL: 'channel',
    STATUS: 'status',
  };
  const conditions = [sql`true`];
  if (where.from) conditions.push(sql`submitted_at >= ${where.from}`);
  if (where.to) conditions.push(sql`submitted_at < ${where.to}`);
  if (where.agencyId != null) conditions.push(sql`agency_id = ${where.agencyId}`);
  if (where.agencyIds) conditions.push(sql`agency_id = any(${[...where.agencyIds]}::int[])`);
  if (where.procedureId != null) conditions.push(sql`procedure_id = ${where.procedureId}`);
  const figures = sql`count(*)::int as total,
    (count(*) filter (where channel = 'ONLINE'))::int as online,
    (count(*) filter (where status in ('COMPLETED', 'REJECTED')))::int as resolved,
    (count(*) filter (where status in ('COMPLETED', 'REJECTED') and completed_at <= due_at))::int as on_time,
    (count(*) filter (where (completed_at is null and due_at < ${now}) or completed_at > due_at))::int as overdue`;
  const keys = dims.map((d) => sql.raw(`${columns[d]} as ${d.toLowerCase()}`));
  const of = (row: Record<string, unknown>): Counts => ({
    agencyId: (row.agency as number | undefined) ?? null,
    month: (row.month as string | undefined) ?? null,
    channel: (row.channel as string | undefined) ?? null,
    status: (row.status as string | undefined) ?? null,
    total: Number(row.total),
    online: Number(row.online),
    resolved: Number(row.resolved),
    onTime: Number(row.on_time),
    overdue: Number(row.overdue),
  });
  const filter = sql.join(conditions, sql` and `);
  const totals = (await sql<Record<string, unknown>>`select ${figures} from services.dossiers where ${filter}`.execute(root)).rows[0]!;
  if (dims.length === 0) return { totals: of(totals), groups: [] };
  const order = sql.raw(dims.map((_, i) => String(i + 1)).join(', '));
  const groups = (await sql<Record<string, unknown>>`select ${sql.join(keys)}, ${figures} from services.dossiers where ${filter} group by ${order} order by ${order}`.execute(root)).rows;
  return { totals: of(totals), groups: groups.map(of) };
}

async function fromRollups(repo: DossierStatsRepository, dims: readonly DossierDimension[], where: DossierStatsWhere, now: Date): Promise<{ totals: Counts; groups: Counts[] }> {
  const { totals, groups } = await repo.table(dims, where, now);
  const counts = ({ agencyId, month, channel, status, total, online, resolved, onTime, overdue }: Counts): Counts => ({ agencyId, month, channel, status, total, online, resolved, onTime, overdue });
  return { totals: counts({ agencyId: null, month: null, channel: null, status: null, ...totals }), groups: groups.map(counts) };
}

/** The rollup tables' rows, in key order. */
async function snapshot(root: Root): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = (await sql`select * from ${sql.id('services', table)} order by 1, 2, 3, 4, 5, 6`.execute(root)).rows;
  return out;
}

/**
 * The source's Kysely instance, recording the SQL text of every statement sent through its
 * executor: the repository compiles each statement shape once and sends it again with new values
 * (`executeQuery` of `getExecutor()`), so a plugin's transformQuery would not see most of them.
 */
function capturing(db: Kysely<unknown>, statements: string[]): Kysely<unknown> {
  const executor = db.getExecutor();
  const recording = new Proxy(executor, {
    get(target, property) {
      if (property === 'executeQuery') {
        return (compiled: CompiledQuery, ...rest: unknown[]) => {
          statements.push(compiled.sql);
          return (target.executeQuery as (...args: unknown[]) => unknown)(compiled, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new Proxy(db, {
    get(target, property) {
      if (property === 'getExecutor') return () => recording;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface Subjects {
  /** The agency with the most dossiers, and another one. */
  agencies: [number, number];
  /** The procedure with the most dossiers, and another one. */
  procedures: [number, number];
}

async function subjectsOf(root: Root): Promise<Subjects> {
  const agencies = (await sql<{ id: number }>`select agency_id as id from services.dossiers group by 1 order by count(*) desc, 1 limit 2`.execute(root)).rows;
  const procedures = (await sql<{ id: number }>`select procedure_id as id from services.dossiers group by 1 order by count(*) desc, 1 limit 2`.execute(root)).rows;
  return { agencies: [agencies[0]!.id, agencies[1]!.id], procedures: [procedures[0]!.id, procedures[1]!.id] };
}

function filtersOf({ agencies, procedures }: Subjects): Array<[string, DossierStatsWhere]> {
  return [
    ['everything', {}],
    ['from a month start', { from: day('2024-01-01') }],
    ['to a mid-month day', { to: day('2023-06-15') }],
    ['days, months, days', { from: day('2023-03-10'), to: day('2024-02-20') }],
    ['days inside one month', { from: day('2024-05-03'), to: day('2024-05-28') }],
    ['whole months only', { from: day('2024-04-01'), to: day('2024-06-01') }],
    ['instants off midnight (admin)', { from: at('2024-03-05T10:17:00+07:00'), to: at('2024-09-12T15:00:00.500+07:00') }],
    ['inside one day (admin)', { from: at('2024-07-01T08:00:00+07:00'), to: at('2024-07-01T17:30:00+07:00') }],
    ['off midnight to midnight (admin)', { from: at('2024-07-01T08:00:00+07:00'), to: day('2024-07-03') }],
    ['an empty range', { from: day('2024-08-01'), to: day('2024-07-01') }],
    ['one agency', { agencyId: agencies[0] }],
    ['one procedure', { procedureId: procedures[0] }],
    ['a procedure over days and months', { procedureId: procedures[1], from: day('2023-12-07'), to: day('2024-03-01') }],
    ['an agency over days and months', { agencyId: agencies[1], from: day('2024-02-11'), to: day('2024-10-20') }],
  ];
}

/** Each role's statistics scope as the resolver applies it (null: refused before any SQL). */
function scopesOf({ agencies }: Subjects): Array<[string, readonly number[] | undefined]> {
  const scopes: Array<[string, readonly number[] | undefined]> = [];
  for (const role of ROLES) {
    for (const agencyId of role === 'officer' ? agencies : [null]) {
      const ids = statisticsAgencyIdsOf(rowScope('dossierStatistics', { role, agencyId, citizenId: null, householdId: null }));
      if (ids !== null) scopes.push([`${role}${agencyId === null ? '' : ` of agency ${agencyId}`}`, ids]);
    }
  }
  return scopes;
}

async function expectEqualEverywhere(db: SeededDatabases, repo: DossierStatsRepository, nows: readonly Date[] = [SEED_TODAY]): Promise<number> {
  const root = db.connections.sources.services.root as Root;
  const subjects = await subjectsOf(root);
  let compared = 0;
  for (const [scopeName, agencyIds] of scopesOf(subjects)) {
    for (const [filterName, filter] of filtersOf(subjects)) {
      for (const dims of GROUPINGS) {
        for (const now of nows) {
          const where = { ...filter, agencyIds: agencyIds ?? null };
          const label = `${scopeName}, ${filterName}, by [${dims.join(', ')}], now ${now.toISOString()}`;
          expect(await fromRollups(repo, dims, where, now), label).toEqual(await rawAggregate(root, dims, where, now));
          compared += 1;
        }
      }
    }
  }
  return compared;
}

describe.each(['tiny', 'small'])('rollups at the %s scale', (scale) => {
  let db: SeededDatabases;
  let root: Root;
  let repo: DossierStatsRepository;

  beforeAll(async () => {
    db = await seededDatabases(scale);
    root = db.connections.sources.services.root as Root;
    repo = new DossierStatsRepository(db.connections.sources.services.db);
  }, 300_000);
  afterAll(async () => db?.close());

  it('the roles: analyst and admin see all, officers their agency, the others are refused before any SQL', () => {
    const scopes = scopesOf({ agencies: [7, 8], procedures: [1, 2] });
    expect(scopes).toEqual([
      ['officer of agency 7', [7]],
      ['officer of agency 8', [8]],
      ['analyst', undefined],
      ['admin', undefined],
    ]);
  });

  it('after the seed (COPY), equal the raw aggregate for every grouping, filter and scope', async () => {
    // The seed wrote the dossiers with COPY only: the rollups were filled by the statement triggers.
    const { rows } = await sql<{ n: number }>`select sum(dossiers)::int as n from services.dossier_rollup_month`.execute(root);
    const { rows: all } = await sql<{ n: number }>`select count(*)::int as n from services.dossiers`.execute(root);
    expect(rows[0]!.n).toBe(all[0]!.n);
    expect(all[0]!.n).toBeGreaterThan(0);
    const { rows: coarse } = await sql<{ n: number }>`select sum(dossiers)::int as n from ${sql.id('services', MONTH_AGENCY_TABLE)}`.execute(root);
    expect(coarse[0]!.n).toBe(all[0]!.n);
    const compared = await expectEqualEverywhere(db, repo);
    expect(compared).toBe(4 * 14 * 16);
  }, 300_000);

  it('at other moments too: overdue counts the open dossiers due before now', async () => {
    const subjects = await subjectsOf(root);
    const nows = [new Date('2024-10-20T00:00:00+07:00'), new Date(SEED_TODAY.getTime() + 3 * 86_400_000), new Date('2030-01-01T00:00:00Z')];
    // Some open dossiers are due after the first moments (else the open-due rollup would go untested).
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from services.dossiers where completed_at is null and due_at >= ${nows[0]!}`.execute(root);
    expect(rows[0]!.n).toBeGreaterThan(0);
    for (const [filterName, filter] of filtersOf(subjects)) {
      for (const dims of [[], ['AGENCY', 'STATUS'], [...DOSSIER_DIMENSIONS]] as DossierDimension[][]) {
        for (const now of nows) {
          expect(await fromRollups(repo, dims, filter, now), `${filterName} by [${dims.join(', ')}] at ${now.toISOString()}`).toEqual(await rawAggregate(root, dims, filter, now));
        }
      }
    }
  }, 300_000);

  it('after a source system’s inserts, updates and deletes by SQL (and a COPY), still equal', async () => {
    const { procedures } = await subjectsOf(root);
    const d = db.connections.sources.services.root;
    // Inserts: many rows in one statement, shifted in time (new days and months), and single rows.
    await sql`insert into services.dossiers (code, procedure_id, agency_id, applicant_kind, applicant_id, channel, status, submitted_at, due_at, completed_at, ward_id)
      select 'T1-' || id, procedure_id, agency_id, applicant_kind, applicant_id, channel, status,
        submitted_at - interval '37 days', due_at - interval '37 days', completed_at - interval '37 days', ward_id
      from services.dossiers where id % 29 = 0`.execute(d);
    await sql`insert into services.dossiers (code, procedure_id, agency_id, applicant_kind, applicant_id, channel, status, submitted_at, due_at, completed_at, ward_id)
      select 'T2-' || id, procedure_id, agency_id, applicant_kind, applicant_id, 'ONLINE', 'RECEIVED', timestamptz '2025-01-15 09:30+07', timestamptz '2031-01-01 00:00+07', null, ward_id
      from services.dossiers where id = (select min(id) from services.dossiers)`.execute(d);
    // An upsert: inserts one row, updates another (both transition tables).
    await sql`insert into services.dossiers (code, procedure_id, agency_id, applicant_kind, applicant_id, channel, status, submitted_at, due_at, completed_at, ward_id)
      select code, procedure_id, agency_id, applicant_kind, applicant_id, channel, status, submitted_at, due_at, completed_at, ward_id
      from (select 'T3-new' as code, procedure_id, agency_id, applicant_kind, applicant_id, 'POST' as channel, 'PROCESSING' as status, submitted_at, due_at, null::timestamptz as completed_at, ward_id
              from services.dossiers where id = 5
            union all
            select code, procedure_id, agency_id, applicant_kind, applicant_id, 'COUNTER', 'WITHDRAWN', submitted_at, due_at, greatest(submitted_at, due_at) + interval '2 days', ward_id
              from services.dossiers where id = 6) x
      on conflict (code) do update set channel = excluded.channel, status = excluded.status, completed_at = excluded.completed_at`.execute(d);
    // A COPY, as the seeds load.
    const copied = await db.connections.sources.services.copy(
      'dossiers',
      ['code', 'procedure_id', 'agency_id', 'applicant_kind', 'applicant_id', 'channel', 'status', 'submitted_at', 'due_at', 'completed_at', 'ward_id'],
      [`T4-1\t${procedures[0]}\t${(await agencyOf(root, procedures[0]))}\tCITIZEN\t1\tCOUNTER\tCOMPLETED\t2024-02-29 23:59:59.999+07\t2024-03-10 00:00:00+07\t2024-03-12 08:00:00+07\t1\n`
        + `T4-2\t${procedures[1]}\t${(await agencyOf(root, procedures[1]))}\tBUSINESS\t1\tONLINE\tADDITIONAL_INFO_REQUIRED\t2024-03-01 00:00:00+07\t2024-11-02 00:00:00+07\t\\N\t1\n`],
    );
    expect(copied).toBe(2);
    // Updates of every grouped or counted column: closing, reopening, channel, time, procedure and agency.
    await sql`update services.dossiers set status = 'COMPLETED', completed_at = greatest(due_at - interval '1 hour', submitted_at) where completed_at is null and id % 3 = 0`.execute(d);
    await sql`update services.dossiers set status = 'PROCESSING', completed_at = null where status = 'COMPLETED' and id % 41 = 5`.execute(d);
    await sql`update services.dossiers set channel = 'POST' where id % 17 = 1`.execute(d);
    await sql`update services.dossiers set submitted_at = submitted_at - interval '40 days', due_at = due_at - interval '40 days', completed_at = completed_at - interval '40 days' where id % 23 = 2`.execute(d);
    await sql`update services.dossiers set due_at = due_at + interval '400 days' where completed_at is null and id % 2 = 0`.execute(d);
    await sql`update services.dossiers set procedure_id = ${procedures[1]}, agency_id = (select agency_id from services.procedures where id = ${procedures[1]}) where id % 31 = 3`.execute(d);
    // Deletes, one of them of a whole group (the rollup row must go, not stay at zero).
    await sql`delete from services.dossiers where id % 13 = 4`.execute(d);
    await sql`delete from services.dossiers where procedure_id = ${procedures[0]} and channel = 'COUNTER' and submitted_at >= timestamptz '2024-02-01 00:00+07' and submitted_at < timestamptz '2024-03-01 00:00+07'`.execute(d);

    for (const table of TABLES) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id('services', table)} where dossiers <= 0`.execute(root);
      expect(rows[0]!.n, table).toBe(0);
    }
    await expectEqualEverywhere(db, repo, [SEED_TODAY, new Date('2030-01-01T00:00:00Z')]);
    // The triggers' rollups are the migration's rebuild from the dossiers, row for row.
    const kept = await snapshot(root);
    await sql`select services.dossier_rollups_rebuild()`.execute(root);
    expect(await snapshot(root)).toEqual(kept);
    // And migration 0005's fill of the month × agency table (from dossier_rollup_month) is the same table.
    await sql`delete from ${sql.id('services', MONTH_AGENCY_TABLE)}`.execute(root);
    await sql.raw(FILL_MONTH_AGENCY).execute(root);
    expect(await snapshot(root)).toEqual(kept);
  }, 600_000);

  it('an update of other columns writes no rollup row; a rolled-back write leaves them as they were', async () => {
    const before = await snapshot(root);
    await sql`update services.dossiers set ward_id = ward_id + 1, applicant_id = applicant_id`.execute(root);
    await expect(
      root.transaction().execute(async (tx) => {
        await sql`delete from services.dossiers where id % 2 = 0`.execute(tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await snapshot(root)).toEqual(before);
  });

  it('a TRUNCATE empties them, and the rows written back count again', async () => {
    await sql`create table services.dossiers_kept as select * from services.dossiers`.execute(root);
    await sql`truncate services.dossiers cascade`.execute(root);
    for (const table of TABLES) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id('services', table)}`.execute(root);
      expect(rows[0]!.n, table).toBe(0);
    }
    expect((await repo.rates({}, SEED_TODAY)).total).toBe(0);
    await sql`insert into services.dossiers select * from services.dossiers_kept`.execute(root);
    await sql`drop table services.dossiers_kept`.execute(root);
    const where = { from: day('2023-03-10'), to: day('2024-02-20') };
    expect(await fromRollups(repo, ['AGENCY', 'MONTH'], where, SEED_TODAY)).toEqual(await rawAggregate(root, ['AGENCY', 'MONTH'], where, SEED_TODAY));
    expect((await fromRollups(repo, [], {}, SEED_TODAY)).totals).toEqual((await rawAggregate(root, [], {}, SEED_TODAY)).totals);
  });

  it('reads the rollups in one statement: the dossiers only for the part of a day at an admin’s bound off midnight', async () => {
    const statements: string[] = [];
    const traced = new DossierStatsRepository(capturing(db.connections.sources.services.db as Kysely<unknown>, statements) as typeof db.connections.sources.services.db);
    const readsDossiers = (text: string) => /"services"\."dossiers"/.test(text);

    await traced.table(['MONTH'], { from: day('2024-01-01') }, SEED_TODAY);
    await traced.table(['AGENCY'], { agencyIds: [3] }, SEED_TODAY);
    expect(statements).toHaveLength(2);
    for (const text of statements) {
      // Grouped by neither channel nor status, without a procedure: the month × agency table.
      expect(text).toContain(`"services"."${MONTH_AGENCY_TABLE}"`);
      expect(text).not.toContain('"services"."dossier_rollup_month"');
      expect(text).toContain(`"services"."${OPEN_DUE_TABLE}"`);
      expect(readsDossiers(text)).toBe(false);
    }
    statements.length = 0;
    await traced.table(['AGENCY', 'STATUS'], { from: day('2024-01-01') }, SEED_TODAY);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('"services"."dossier_rollup_month"');
    expect(statements[0]).not.toContain(`"services"."${MONTH_AGENCY_TABLE}"`);
    statements.length = 0;
    await traced.table(['CHANNEL'], { procedureId: 1, from: day('2023-03-10'), to: day('2024-02-20') }, SEED_TODAY);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('"services"."dossier_rollup_month_procedure"');
    expect(statements[0]).toContain('"services"."dossier_rollup_day_procedure"');
    expect(readsDossiers(statements[0]!)).toBe(false);
    statements.length = 0;
    await traced.table(['CHANNEL'], { from: at('2024-03-05T10:17:00+07:00'), to: day('2024-09-12') }, SEED_TODAY);
    expect(statements).toHaveLength(1);
    expect(readsDossiers(statements[0]!)).toBe(true);
    expect(statements[0]).toContain('"services"."dossier_rollup_day"');
  });

  it('several tables in one statement (a document’s dossierStatistics fields): each the table asked alone', async () => {
    const statements: string[] = [];
    const traced = new DossierStatsRepository(capturing(db.connections.sources.services.db as Kysely<unknown>, statements) as typeof db.connections.sources.services.db);
    const subjects = await subjectsOf(root);
    const filters = filtersOf(subjects).map(([, filter]) => filter);
    // Every grouping, each with another filter (nothing-can-match scopes among them), and now and then none.
    const asks = GROUPINGS.map((dimensions, i) => ({ dimensions, filter: { ...filters[i % filters.length]!, agencyIds: i % 5 === 4 ? [] : null }, now: SEED_TODAY }));
    const alone = [];
    for (const ask of asks) alone.push(await repo.table(ask.dimensions, ask.filter, ask.now));
    expect(await traced.tables(asks)).toEqual(alone);
    expect(statements).toHaveLength(1);
    statements.length = 0;
    // The batch of one turn: two asks, one statement; a lone ask, the statement `table` sends.
    const [byMonth, byAgency] = await Promise.all([
      traced.tableInBatch(['MONTH'], { from: day('2024-01-01') }, SEED_TODAY),
      traced.tableInBatch(['AGENCY'], {}, SEED_TODAY),
    ]);
    expect(statements).toHaveLength(1);
    expect(byMonth).toEqual(await repo.table(['MONTH'], { from: day('2024-01-01') }, SEED_TODAY));
    expect(byAgency).toEqual(await repo.table(['AGENCY'], {}, SEED_TODAY));
    statements.length = 0;
    expect(await traced.tableInBatch([], { agencyIds: [] }, SEED_TODAY)).toEqual({ totals: (await repo.table([], { agencyIds: [] })).totals, groups: [] });
    expect(statements).toHaveLength(0);
  });
});

describe('the IOC dashboard through the gateway', () => {
  let gw: TestGateway;
  let analyst: Record<string, string>;
  beforeAll(async () => {
    gw = await startTestGateway();
    analyst = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'analyst' })}` };
  }, 300_000);
  afterAll(async () => gw?.close());

  it('one statement on the services source for the document’s dossierStatistics fields, the same figures as the dossiers give', async () => {
    const res = await gw.query<{ byMonth: { totals: { total: number }; groups: Array<{ month: string; total: number }> }; byAgency: { totals: { total: number } } }>(
      `query Dashboard {
        byMonth: dossierStatistics(filter: { from: "2024-01-01T00:00:00+07:00" }, groupBy: [MONTH]) { totals { total } groups { month total } }
        byAgency: dossierStatistics(groupBy: [AGENCY]) { totals { total } groups { total } }
      }`,
      {},
      analyst,
    );
    expect(res.errors).toBeUndefined();
    // Both fields in one statement (DossierStatsRepository.tableInBatch): 2 before.
    expect(res.extensions!.sqlStatements!.bySource.services).toBe(1);
    const root = gw.databases.connections.sources.services.root as Root;
    const raw = await rawAggregate(root, ['MONTH'], { from: day('2024-01-01') }, new Date());
    expect(res.data!.byMonth.totals.total).toBe(raw.totals.total);
    // Small months withheld for an analyst: the months shown are the raw ones with k or more.
    expect(res.data!.byMonth.groups.every((g) => raw.groups.some((r) => r.month === g.month && r.total === g.total))).toBe(true);
    expect(res.data!.byAgency.totals.total).toBe((await rawAggregate(root, [], {}, new Date())).totals.total);
  });
});

async function agencyOf(root: Root, procedureId: number): Promise<number> {
  const { rows } = await sql<{ agency_id: number }>`select agency_id from services.procedures where id = ${procedureId}`.execute(root);
  return rows[0]!.agency_id;
}
