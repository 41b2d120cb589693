import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import {
  servicesRepositories,
  type DossierWhere,
  type DossierOrder,
  type DossierRow,
  type ServicesRepositories,
} from '../../../src/modules/services/db/index.js';
import { agencies } from '../../../src/modules/reference/seed/agencies.js';
import { scaleNamed, SEED_TODAY } from '../../../src/seed/scales.js';
import { seedServices } from '../../../src/modules/services/seed/seed.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkBothWays, walkKeyset } from '../../support/keyset-walk.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

const SEED = 20241031;
/** Seeded dossiers are judged overdue as of the seed's reference day, not the clock. */
const NOW = SEED_TODAY;

let dbs: SeededDatabases;
let repos: ServicesRepositories;

beforeAll(async () => {
  dbs = await seededDatabases('tiny', SEED);
  repos = servicesRepositories(dbs.connections.sources.services.db);
});
afterAll(async () => dbs?.close());

/** Runs raw SQL against the services schema: the independent answer repositories are checked against. */
async function query<T>(statement: RawBuilder<T>): Promise<T[]> {
  const { rows } = await statement.execute(dbs.connections.sources.services.root);
  return rows;
}

async function sqlIds(where: RawBuilder<unknown>): Promise<number[]> {
  const rows = await query(sql<{ id: number }>`select id from services.dossiers where ${where} order by id`);
  return rows.map((r) => Number(r.id));
}

/** Every row id a filter selects, through the repository, paging 100 at a time. */
async function repoIds(filter: DossierWhere): Promise<number[]> {
  const out = await walkKeyset((page) => repos.dossiers.list(filter, 'CODE', cursors.page(page)), 'forward', 100, (d) => d.id);
  return out.sort((a, b) => a - b);
}

/** The agency with the most dossiers: a one-agency list is small but has several pages. */
async function busiestAgency(): Promise<number> {
  const [row] = await query(sql<{ agency_id: number }>`
    select agency_id from services.dossiers group by agency_id order by count(*) desc, agency_id limit 1`);
  return Number(row!.agency_id);
}


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: ServicesRepositories) => T): T {
  return fn(servicesRepositories(countedOn(dbs.connections.sources.services.db, 'services', stats)));
}

describe('services: procedures', () => {
  it('holds about 150 procedures, 95% of them fully online', async () => {
    const total = await repos.procedures.count({});
    const full = await repos.procedures.count({ serviceLevel: 'FULL_ONLINE' });
    expect(total).toBeGreaterThanOrEqual(140);
    expect(total).toBeLessThanOrEqual(160);
    expect(full).toBe(Math.round(0.95 * total));
    expect(Math.abs(full / total - 0.95)).toBeLessThanOrEqual(0.01);
  });

  it('finds batches by id and by code', async () => {
    const byId = await repos.procedures.findByIds([2, 1, 999_999]);
    expect(byId.map((p) => p.id).sort()).toEqual([1, 2]);
    const byCode = await repos.procedures.findByCodes(['DNG-UBND-HC-001', 'nope']);
    expect(byCode.map((p) => p.name)).toEqual(['Đăng ký khai sinh']);
    expect(typeof byCode[0]!.fee).toBe('number');
  });

  it('filters by agency, level and field, and searches names without diacritics', async () => {
    const births = await repos.procedures.list({ search: 'dang ky khai sinh' }, 'NAME', cursors.page({ first: 50 }));
    expect(births.edges).toHaveLength(7);
    expect(new Set(births.edges.map((e) => e.node.name))).toEqual(new Set(['Đăng ký khai sinh']));
    const records = await repos.procedures.list({ search: 'LY LICH TU PHAP' }, 'NAME', cursors.page({ first: 50 }));
    expect(records.edges.map((e) => e.node.name)).toContain('Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam');

    const [agency] = await query(sql<{ agency_id: number; n: number }>`
      select agency_id, count(*)::int as n from services.procedures group by agency_id order by agency_id limit 1`);
    expect(await repos.procedures.count({ agencyId: agency!.agency_id })).toBe(agency!.n);
    const business = await repos.procedures.list({ field: 'Đăng ký kinh doanh' }, 'CODE', cursors.page({ first: 100 }));
    expect(business.edges.length).toBeGreaterThan(5);
    expect(business.edges.every((e) => e.node.field === 'Đăng ký kinh doanh')).toBe(true);
    const partial = await repos.procedures.list({ serviceLevel: 'PARTIAL_ONLINE' }, 'NAME', cursors.page({ first: 100 }));
    expect(partial.edges.every((e) => e.node.service_level === 'PARTIAL_ONLINE')).toBe(true);
  });

  it('pages by name and by code both ways, visiting each procedure once', async () => {
    const total = await repos.procedures.count({});
    for (const order of ['NAME', 'CODE'] as const) {
      const { forward, backward } = await walkBothWays((args) => repos.procedures.list({}, order, cursors.page(args)), 17, (row) => row);
      expect(forward).toHaveLength(total);
      expect(new Set(forward.map((p) => p.id)).size).toBe(total);
      expect(backward.map((p) => p.id)).toEqual(forward.map((p) => p.id));
    }
  });

  it('gives every agency its page of procedures in one statement', async () => {
    const agencyIds = [2, 3, 20, 26, 999];
    const stats = new QueryStats();
    const pages = await counting(stats, (counted) => counted.procedures.pagesByAgency({ parentIds: agencyIds, filter: {}, order: 'NAME', page: cursors.page({ first: 5 }) }));
    expect(stats.bySource.services).toBe(1);
    for (const agencyId of agencyIds) {
      const alone = await repos.procedures.list({ agencyId }, 'NAME', cursors.page({ first: 5 }));
      expect(pages.get(agencyId)).toEqual(alone);
    }
  });
});

describe('services: dossier lookups and filters', () => {
  it('finds batches by id (one statement) and by public code', async () => {
    const stats = new QueryStats();
    const rows = await counting(stats, (counted) => counted.dossiers.findByIds([5, 1, 3, 10_000_000]));
    expect(stats.bySource.services).toBe(1);
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 3, 5]);
    expect(rows[0]!.submitted_at).toBeInstanceOf(Date);

    const codes = rows.map((r) => r.code);
    expect(codes.every((c) => /^H17\.\d{2}-\d{6}-\d{7}$/.test(c))).toBe(true);
    const byCode = await repos.dossiers.findByCodes([...codes, 'H17.00-000000-0000000']);
    expect(byCode.map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 3, 5]);
  });

  it('applies every filter as SQL would', async () => {
    const [sample] = await query(sql<DossierRow>`select * from services.dossiers where status = 'COMPLETED' order by id limit 1`);
    const s = sample!;
    const middle = new Date('2024-01-01T00:00:00+07:00');
    const later = new Date('2024-04-01T00:00:00+07:00');
    const cases: Array<[string, DossierWhere, RawBuilder<unknown>]> = [
      ['agencyId', { agencyId: s.agency_id }, sql`agency_id = ${s.agency_id}`],
      ['agencyIds', { agencyIds: [s.agency_id, 20] }, sql`agency_id in (${s.agency_id}, 20)`],
      ['procedureId', { procedureId: s.procedure_id }, sql`procedure_id = ${s.procedure_id}`],
      ['status', { status: 'REJECTED' }, sql`status = 'REJECTED'`],
      ['open statuses', { status: ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'] }, sql`completed_at is null`],
      ['some open statuses', { status: ['RECEIVED', 'PROCESSING'] }, sql`status in ('RECEIVED', 'PROCESSING')`],
      ['mixed statuses', { status: ['PROCESSING', 'WITHDRAWN'] }, sql`status in ('PROCESSING', 'WITHDRAWN')`],
      ['channel', { channel: 'POST' }, sql`channel = 'POST'`],
      ['applicant kind', { applicantKind: 'BUSINESS' }, sql`applicant_kind = 'BUSINESS'`],
      [
        'applicant',
        { applicantKind: s.applicant_kind, applicantId: s.applicant_id },
        sql`applicant_kind = ${s.applicant_kind} and applicant_id = ${s.applicant_id}`,
      ],
      [
        'applicants',
        { applicants: [{ kind: 'CITIZEN', id: 1 }, { kind: s.applicant_kind, id: s.applicant_id }, { kind: 'BUSINESS', id: 2 }] },
        sql`(applicant_kind = 'CITIZEN' and applicant_id = 1) or (applicant_kind = ${s.applicant_kind} and applicant_id = ${s.applicant_id})
          or (applicant_kind = 'BUSINESS' and applicant_id = 2)`,
      ],
      ['submitted range', { submittedFrom: middle, submittedTo: later }, sql`submitted_at >= ${middle} and submitted_at < ${later}`],
      ['due before', { dueBefore: middle }, sql`due_at < ${middle}`],
      ['overdue', { overdue: true, now: NOW }, sql`(completed_at is null and due_at < ${NOW}) or completed_at > due_at`],
      ['not overdue', { overdue: false, now: NOW }, sql`(completed_at is null and due_at >= ${NOW}) or completed_at <= due_at`],
      ['ward', { wardId: s.ward_id }, sql`ward_id = ${s.ward_id}`],
      ['combined', { channel: 'ONLINE', status: ['COMPLETED'], overdue: true, now: NOW }, sql`channel = 'ONLINE' and status = 'COMPLETED' and completed_at > due_at`],
    ];
    for (const [name, filter, where] of cases) {
      const expected = await sqlIds(where);
      expect(expected.length, name).toBeGreaterThan(0);
      expect(await repos.dossiers.count(filter), name).toBe(expected.length);
      expect(await repoIds(filter), name).toEqual(expected);
    }
  });

  it('matches nothing for an empty row scope', async () => {
    expect(await repos.dossiers.count({ agencyIds: [] })).toBe(0);
    expect(await repos.dossiers.count({ applicants: [] })).toBe(0);
    expect(await repos.dossiers.count({ status: [] })).toBe(0);
  });
});

describe('services: dossier orders and batched pages', () => {
  const orders: Array<[DossierOrder, (a: DossierRow, b: DossierRow) => number]> = [
    ['SUBMITTED_AT', (a, b) => b.submitted_at.getTime() - a.submitted_at.getTime() || b.id - a.id],
    ['DUE_AT', (a, b) => a.due_at.getTime() - b.due_at.getTime() || a.id - b.id],
    ['CODE', (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id)],
  ];

  it('pages each order forward and backward, visiting every dossier once', async () => {
    const agencyId = await busiestAgency();
    const total = await repos.dossiers.count({ agencyId });
    expect(total).toBeGreaterThan(30);
    for (const [order, compare] of orders) {
      const { forward, backward } = await walkBothWays((args) => repos.dossiers.list({ agencyId }, order, cursors.page(args)), 7, (row) => row);
      expect(forward, order).toHaveLength(total);
      expect(new Set(forward.map((d) => d.id)).size, order).toBe(total);
      expect(forward.map((d) => d.id), order).toEqual([...forward].sort(compare).map((d) => d.id));
      expect(backward.map((d) => d.id), order).toEqual(forward.map((d) => d.id));
    }
  });

  it('refuses a cursor of another order', async () => {
    const page = await repos.dossiers.list({}, 'SUBMITTED_AT', cursors.page({ first: 1 }));
    await expect(repos.dossiers.list({}, 'DUE_AT', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
    await expect(repos.dossiers.list({}, 'CODE', cursors.page({ first: 1, before: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
  });

  it('gives each agency the page list() gives, in one statement', async () => {
    const agencyIds = [await busiestAgency(), 3, 20, 24, 999];
    const filter: DossierWhere = { status: ['COMPLETED', 'REJECTED'] };
    for (const [order] of orders) {
      const first = new QueryStats();
      const pages = await counting(first, (counted) => counted.dossiers.pagesByAgency({ parentIds: agencyIds, filter, order, page: cursors.page({ first: 4 }) }));
      expect(first.bySource.services, order).toBe(1);
      for (const agencyId of agencyIds) {
        expect(pages.get(agencyId), `${order} ${agencyId}`).toEqual(await repos.dossiers.list({ ...filter, agencyId }, order, cursors.page({ first: 4 })));
      }
      // The same for the pages after a cursor and for `last`.
      const cursor = pages.get(agencyIds[0]!)!.edges.at(-1)!.cursor;
      const next = await repos.dossiers.pagesByAgency({ parentIds: [agencyIds[0]!], filter, order, page: cursors.page({ first: 4, after: cursor }) });
      expect(next.get(agencyIds[0]!)).toEqual(await repos.dossiers.list({ ...filter, agencyId: agencyIds[0]! }, order, cursors.page({ first: 4, after: cursor })));
      const tail = await repos.dossiers.pagesByAgency({ parentIds: agencyIds, filter, order, page: cursors.page({ last: 3 }) });
      for (const agencyId of agencyIds) {
        expect(tail.get(agencyId)).toEqual(await repos.dossiers.list({ ...filter, agencyId }, order, cursors.page({ last: 3 })));
      }
    }
  });

  it("gives each applicant the page list() gives, in one statement", async () => {
    const busiest = await query(sql<{ applicant_id: number }>`
      select applicant_id from services.dossiers where applicant_kind = 'CITIZEN'
      group by applicant_id order by count(*) desc, applicant_id limit 5`);
    const citizenIds = [...busiest.map((r) => Number(r.applicant_id)), 999_999];
    const stats = new QueryStats();
    const pages = await counting(stats, (counted) => counted.dossiers.pagesByApplicant({ kind: 'CITIZEN', parentIds: citizenIds, order: 'SUBMITTED_AT', page: cursors.page({ first: 2 }) }));
    expect(stats.bySource.services).toBe(1);
    expect(pages.get(999_999)!.edges).toEqual([]);
    for (const applicantId of citizenIds) {
      const alone = await repos.dossiers.list({ applicantKind: 'CITIZEN', applicantId }, 'SUBMITTED_AT', cursors.page({ first: 2 }));
      expect(pages.get(applicantId)).toEqual(alone);
    }
    const businesses = await repos.dossiers.pagesByApplicant({ kind: 'BUSINESS', parentIds: [1, 2, 3], filter: { channel: 'ONLINE' }, order: 'DUE_AT', page: cursors.page({ first: 10 }) });
    for (const [applicantId, page] of businesses) {
      expect(page).toEqual(await repos.dossiers.list({ applicantKind: 'BUSINESS', applicantId, channel: 'ONLINE' }, 'DUE_AT', cursors.page({ first: 10 })));
    }
  });
});

describe('services: seeded figures', () => {
  it('receives 65% of dossiers online and 95% of procedures are fully online', async () => {
    const total = await repos.dossiers.count({});
    expect(total).toBe(scaleNamed('tiny').dossiers);
    const online = await repos.dossiers.count({ channel: 'ONLINE' });
    expect(Math.abs(online / total - 0.65)).toBeLessThanOrEqual(0.01);
    const rates = await repos.dossierStats.rates({}, NOW);
    expect(Math.abs(rates.onlineRate - 0.65)).toBeLessThanOrEqual(0.01);
    // Mostly on time; some early, some overdue, a few still open.
    expect(rates.onTimeRate).toBeGreaterThan(0.8);
    expect(rates.onTimeRate).toBeLessThan(0.97);
    expect(await repos.dossiers.count({ status: ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'] })).toBeGreaterThan(0);
  });

  it('files every dossier with its procedure agency, within the seeded window and scale', async () => {
    const [row] = await query(sql<{ wrong_agency: number; bad_applicant: number; late: number; early_due: number }>`
      select count(*) filter (where d.agency_id <> p.agency_id)::int as wrong_agency,
             count(*) filter (where d.applicant_id < 1 or (d.applicant_kind = 'CITIZEN' and d.applicant_id > ${scaleNamed('tiny').citizens})
               or (d.applicant_kind = 'BUSINESS' and d.applicant_id > ${scaleNamed('tiny').enterprises + scaleNamed('tiny').householdBusinesses}))::int as bad_applicant,
             count(*) filter (where d.submitted_at > ${NOW} or d.completed_at > ${NOW} or d.submitted_at < ${NOW}::timestamptz - interval '731 days')::int as late,
             count(*) filter (where d.due_at <= d.submitted_at)::int as early_due
      from services.dossiers d join services.procedures p on p.id = d.procedure_id`);
    expect(row).toEqual({ wrong_agency: 0, bad_applicant: 0, late: 0, early_due: 0 });
  });

  it('computes the dashboard figures in SQL, equal to direct counts', async () => {
    const from = new Date('2024-01-01T00:00:00+07:00');
    const to = new Date('2024-07-01T00:00:00+07:00');
    const agencyId = await busiestAgency();
    for (const [filter, where] of [
      [{}, sql`true`],
      [{ from, to }, sql`submitted_at >= ${from} and submitted_at < ${to}`],
      [{ agencyId }, sql`agency_id = ${agencyId}`],
      [{ procedureId: 19 }, sql`procedure_id = 19`],
    ] as const) {
      const [direct] = await query(sql<Record<string, number>>`
        select count(*)::int as total,
               count(*) filter (where channel = 'ONLINE')::int as online,
               count(*) filter (where status in ('COMPLETED', 'REJECTED'))::int as resolved,
               count(*) filter (where status in ('COMPLETED', 'REJECTED') and completed_at <= due_at)::int as on_time,
               count(*) filter (where (completed_at is null and due_at < ${NOW}) or completed_at > due_at)::int as overdue
        from services.dossiers where ${where}`);
      const d = direct!;
      const rates = await repos.dossierStats.rates(filter, NOW);
      expect(rates).toEqual({
        total: d.total, online: d.online, resolved: d.resolved, onTime: d.on_time, overdue: d.overdue,
        onlineRate: d.online / d.total, onTimeRate: d.on_time / d.resolved, overdueRate: d.overdue / d.total,
      });
    }

    const byMonth = await repos.dossierStats.countBy(['MONTH', 'CHANNEL']);
    const months = await query(sql<{ month: string; channel: string; n: number }>`
      select to_char(date_trunc('month', submitted_at at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM') as month, channel, count(*)::int as n
      from services.dossiers group by 1, 2 order by 1, 2`);
    expect(byMonth.map((g) => [g.month, g.channel, g.count, g.agencyId, g.status])).toEqual(months.map((m) => [m.month, m.channel, m.n, null, null]));
    expect(new Set(byMonth.map((g) => g.month)).size).toBeGreaterThanOrEqual(24);

    const byAgencyStatus = await repos.dossierStats.countBy(['STATUS', 'AGENCY'], { from, to });
    const direct = await query(sql<{ agency_id: number; status: string; n: number }>`
      select agency_id, status, count(*)::int as n from services.dossiers
      where submitted_at >= ${from} and submitted_at < ${to} group by 1, 2 order by 1, 2`);
    expect(byAgencyStatus.map((g) => [g.agencyId, g.status, g.count])).toEqual(direct.map((r) => [r.agency_id, r.status, r.n]));

    const perAgency = await repos.dossierStats.ratesBy(['AGENCY'], {}, NOW);
    expect(perAgency.reduce((sum, g) => sum + g.overdue, 0)).toBe((await repos.dossierStats.rates({}, NOW)).overdue);
    expect(await repos.dossierStats.rates({ agencyIds: [] }, NOW)).toMatchObject({ total: 0, onlineRate: 0, onTimeRate: 0, overdueRate: 0 });
  });
});

describe('services: dossier events', () => {
  it('records 2 to 5 events per dossier, in order and consistent with its status', async () => {
    const dossiers = await query(sql<DossierRow>`select * from services.dossiers order by id`);
    const stats = new QueryStats();
    const events = await counting(stats, (counted) => counted.dossierEvents.findByDossierIds(dossiers.map((d) => d.id)));
    expect(stats.bySource.services).toBe(1);

    const byDossier = new Map<number, typeof events>();
    for (const e of events) byDossier.set(e.dossier_id, [...(byDossier.get(e.dossier_id) ?? []), e]);
    const finals: Record<string, string[]> = {
      COMPLETED: ['RESULT_RETURNED'],
      REJECTED: ['REJECTED'],
      WITHDRAWN: ['WITHDRAWN'],
      RECEIVED: ['ACCEPTED'],
      ADDITIONAL_INFO_REQUIRED: ['ADDITIONAL_INFO_REQUESTED'],
      PROCESSING: ['ACCEPTED', 'ASSIGNED', 'RESUBMITTED', 'APPROVED'],
    };
    const frontOffice = agencies().find((a) => a.code === 'TTPVHCC')!.id;
    const ordered = [...events].sort((a, b) => a.dossier_id - b.dossier_id || a.seq - b.seq);
    expect(events.map((e) => e.id)).toEqual(ordered.map((e) => e.id));

    for (const d of dossiers) {
      const list = byDossier.get(d.id) ?? [];
      expect(list.length, d.code).toBeGreaterThanOrEqual(2);
      expect(list.length, d.code).toBeLessThanOrEqual(5);
      expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => i + 1));
      expect(list[0]!.kind).toBe('SUBMITTED');
      expect(list[0]!.occurred_at).toEqual(d.submitted_at);
      for (let i = 1; i < list.length; i += 1) expect(list[i]!.occurred_at.getTime()).toBeGreaterThanOrEqual(list[i - 1]!.occurred_at.getTime());
      const last = list.at(-1)!;
      expect(finals[d.status], `${d.code} ${d.status}`).toContain(last.kind);
      expect(last.occurred_at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      if (d.completed_at) expect(last.occurred_at).toEqual(d.completed_at);
      expect(list.every((e) => e.note.length > 0)).toBe(true);
      // The handling agency acts; city departments receive and return through the one-stop centre.
      expect(list.every((e) => e.agency_id === d.agency_id || e.agency_id === frontOffice)).toBe(true);
    }
  });
});

describe('services: seeding', () => {
  it('gives identical tables for the same seed value', async () => {
    const fingerprint = async () =>
      query(sql<{ procedures: string; dossiers: string; events: string }>`
        select (select md5(string_agg(t::text, '|' order by t.id)) from services.procedures t) as procedures,
               (select md5(string_agg(t::text, '|' order by t.id)) from services.dossiers t) as dossiers,
               (select md5(string_agg(t::text, '|' order by t.id)) from services.dossier_events t) as events`);
    const ctx = { scale: scaleNamed('tiny'), sources: dbs.connections.sources, log: () => undefined };
    const before = await fingerprint();
    await seedServices({ ...ctx, seed: SEED });
    expect(await fingerprint()).toEqual(before);
    await seedServices({ ...ctx, seed: SEED + 1 });
    const other = (await fingerprint())[0]!;
    expect(other.procedures).toBe(before[0]!.procedures);
    expect(other.dossiers).not.toBe(before[0]!.dossiers);
    await seedServices({ ...ctx, seed: SEED });
    expect(await fingerprint()).toEqual(before);
  });
});
