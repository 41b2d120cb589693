/**
 * Small-cell protection of dossier statistics (issue 13, L3): below admin, no group of fewer than
 * k dossiers (k = 5 by default, STATS_MIN_CELL_SIZE), none derivable from the others and the
 * totals, no figure over fewer than k dossiers, and time bounds that are whole days.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { suppressSmallGroups } from '../../../src/modules/services/graph/dossier-statistics.suppression.js';
import { toGlobalId } from '../../../src/platform/relay/global-id.js';
import type { DossierGroupRates } from '../../../src/modules/services/db/index.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

const K = 5;
let gw: TestGateway;
let analyst: Record<string, string>;
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  const auth = gw.databases.config.auth;
  analyst = { authorization: `Bearer ${await mintDevToken(auth, { role: 'analyst' })}` };
  admin = { authorization: `Bearer ${await mintDevToken(auth, { role: 'admin' })}` };
});
afterAll(async () => gw?.close());

/** Midnight in Đà Nẵng (UTC+7) of the day holding `time`, and of the next day. */
function dayAround(time: Date): { from: string; to: string } {
  const start = Math.floor((time.getTime() + 7 * 3_600_000) / 86_400_000) * 86_400_000 - 7 * 3_600_000;
  return { from: new Date(start).toISOString(), to: new Date(start + 86_400_000).toISOString() };
}

interface Group {
  agency: { code: string } | null;
  channel: string | null;
  status: string | null;
  total: number;
}
type Stats = { dossierStatistics: { totals: { total: number }; groups: Group[]; suppressedGroups: number; minimumGroupSize: number | null } | null };
const STATS = `query($f: DossierStatisticsFilter, $g: [DossierDimension!]!) {
  dossierStatistics(filter: $f, groupBy: $g) { totals { total } groups { agency { code } channel status total } suppressedGroups minimumGroupSize } }`;

describe('the attack of the issue: a 1 ms window around one dossier’s submittedAt', () => {
  let dossier: { code: string; procedure_id: number };
  let submittedAt: Date;

  beforeAll(async () => {
    const [row] = (await sql<{ code: string; procedure_id: number }>`select code, procedure_id from services.dossiers order by id limit 1`.execute(
      gw.databases.connections.sources.services.root,
    )).rows;
    dossier = row!;
    // The public lookup gives the submission time.
    const status = await gw.query<{ dossierStatus: { submittedAt: string } }>(`query($c: String!) { dossierStatus(code: $c) { submittedAt } }`, { c: dossier.code });
    submittedAt = new Date(status.data!.dossierStatus.submittedAt);
  });

  it('is refused to an analyst (BAD_USER_INPUT): bounds are whole days', async () => {
    const f = { from: submittedAt.toISOString(), to: new Date(submittedAt.getTime() + 1).toISOString() };
    const res = await gw.query<Stats>(STATS, { f, g: ['AGENCY', 'CHANNEL', 'STATUS'] }, analyst);
    expect(res.data?.dossierStatistics ?? null).toBeNull();
    expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatistics'], 'BAD_USER_INPUT']]);
    expect(res.errors![0]!.message).toMatch(/filter\.from must be a whole day/);
    // Only `to` off midnight: refused too.
    const day = dayAround(submittedAt);
    const late = await gw.query<Stats>(STATS, { f: { from: day.from, to: new Date(new Date(day.to).getTime() - 1).toISOString() }, g: [] }, analyst);
    expect(late.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // An admin may still ask for any window.
    const adminRes = await gw.query<Stats>(STATS, { f, g: ['AGENCY'] }, admin);
    expect(adminRes.errors).toBeUndefined();
    expect(adminRes.data!.dossierStatistics!.totals.total).toBe(1);
    expect(adminRes.data!.dossierStatistics!.minimumGroupSize).toBeNull();
  });

  it('whole days around it: no group under k, none derivable from the others and the totals', async () => {
    // Thirty whole days around the dossier: enough dossiers for figures, with small cells among them.
    const around = dayAround(submittedAt);
    const day = { from: new Date(new Date(around.from).getTime() - 15 * 86_400_000).toISOString(), to: new Date(new Date(around.to).getTime() + 15 * 86_400_000).toISOString() };
    const res = await gw.query<Stats>(STATS, { f: day, g: ['AGENCY', 'CHANNEL', 'STATUS'] }, analyst);
    const { rows: cells } = await sql<{ agency_id: number; channel: string; status: string; n: number }>`select agency_id, channel, status, count(*)::int as n
      from services.dossiers where submitted_at >= ${new Date(day.from)} and submitted_at < ${new Date(day.to)} group by 1, 2, 3`.execute(gw.databases.connections.sources.services.root);
    const { rows: agencies } = await sql<{ id: number; code: string }>`select id, code from reference.agencies`.execute(gw.databases.connections.sources.reference.root);
    const codeOf = new Map(agencies.map((a) => [a.id, a.code]));
    const total = cells.reduce((n, c) => n + c.n, 0);
    expect(total).toBeGreaterThanOrEqual(K);
    expect(cells.some((c) => c.n < K), 'some cells are small, so something is withheld').toBe(true);
    expect(res.errors).toBeUndefined();
    const stats = res.data!.dossierStatistics!;
    expect(stats.minimumGroupSize).toBe(K);
    expect(stats.totals.total).toBe(total);
    expect(stats.groups.every((g) => g.total >= K)).toBe(true);
    expect(stats.suppressedGroups).toBe(cells.length - stats.groups.length);
    expect(stats.suppressedGroups).toBeGreaterThanOrEqual(2);
    // Along each dimension, no line (the same values of the other dimensions) has exactly one withheld group.
    const key = (c: { agency: string; channel: string; status: string }) => `${c.agency}/${c.channel}/${c.status}`;
    const shown = new Set(stats.groups.map((g) => key({ agency: g.agency!.code, channel: g.channel!, status: g.status! })));
    const all = cells.map((c) => ({ agency: codeOf.get(c.agency_id)!, channel: c.channel, status: c.status }));
    // (A line of one group is its own margin: that margin is under k too, and withheld wherever it is asked for.)
    for (const along of ['agency', 'channel', 'status'] as const) {
      const lines = new Map<string, { withheld: number; size: number }>();
      for (const c of all) {
        const line = (['agency', 'channel', 'status'] as const).filter((d) => d !== along).map((d) => c[d]).join('/');
        const counts = lines.get(line) ?? { withheld: 0, size: 0 };
        lines.set(line, { withheld: counts.withheld + (shown.has(key(c)) ? 0 : 1), size: counts.size + 1 });
      }
      for (const [line, { withheld, size }] of lines) if (size > 1) expect(withheld, `line ${line} along ${along}`).not.toBe(1);
    }
  });

  it("looping procedureId over that day answers a procedure with one dossier like one with none (FORBIDDEN, no figures)", async () => {
    const day = dayAround(submittedAt);
    const { rows } = await sql<{ procedure_id: number; n: number }>`select procedure_id, count(*)::int as n from services.dossiers
      where submitted_at >= ${new Date(day.from)} and submitted_at < ${new Date(day.to)} group by 1`.execute(gw.databases.connections.sources.services.root);
    const own = rows.find((r) => r.procedure_id === dossier.procedure_id)!;
    const { rows: none } = await sql<{ id: number }>`select id from services.procedures where id <> all(${rows.map((r) => r.procedure_id)}::int[]) order by id limit 1`.execute(
      gw.databases.connections.sources.services.root,
    );
    const ask = (procedureId: number) => gw.query<Stats>(STATS, { f: { ...day, procedureId: toGlobalId('Procedure', procedureId) }, g: ['AGENCY', 'CHANNEL', 'STATUS'] }, analyst);
    const withIt = await ask(dossier.procedure_id);
    const without = await ask(none[0]!.id);
    expect(own.n).toBeLessThan(K);
    expect(withIt.data).toEqual({ dossierStatistics: null });
    expect({ data: withIt.data, errors: withIt.errors }).toEqual({ data: without.data, errors: without.errors });
    expect(withIt.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('suppressSmallGroups (complementary suppression)', () => {
  const g = (channel: string, status: string, total: number): DossierGroupRates => ({
    agencyId: null,
    month: null,
    channel: channel as DossierGroupRates['channel'],
    status: status as DossierGroupRates['status'],
    total,
    online: 0,
    resolved: 0,
    onTime: 0,
    overdue: 0,
    onlineRate: 0,
    onTimeRate: 0,
    overdueRate: 0,
  });
  const keys = (groups: DossierGroupRates[]) => groups.map((x) => `${x.channel}/${x.status}`);

  it('one dimension: a single small group takes the next smallest with it', () => {
    const groups = [g('ONLINE', 'X', 40), g('COUNTER', 'X', 3), g('POSTAL', 'X', 9), g('PORTAL', 'X', 12)].map((x, i) => ({ ...x, status: null, channel: ['A', 'B', 'C', 'D'][i] as never }));
    const kept = suppressSmallGroups(groups, ['CHANNEL'], 5);
    expect(kept.map((x) => x.channel)).toEqual(['A', 'D']);
  });

  it('two small groups need nothing more; none small keeps all', () => {
    const groups = [g('A', 'X', 40), g('B', 'X', 3), g('C', 'X', 2)].map((x) => ({ ...x, status: null }));
    expect(suppressSmallGroups(groups, ['CHANNEL'], 5).map((x) => x.channel)).toEqual(['A']);
    expect(suppressSmallGroups(groups, ['CHANNEL'], 2)).toHaveLength(3);
  });

  it('two dimensions: no row or column keeps exactly one withheld cell', () => {
    // rows: channel A, B; columns: status X, Y, Z
    const groups = [g('A', 'X', 3), g('A', 'Y', 20), g('A', 'Z', 30), g('B', 'X', 25), g('B', 'Y', 8), g('B', 'Z', 40)];
    const kept = suppressSmallGroups(groups, ['CHANNEL', 'STATUS'], 5);
    const withheld = groups.filter((x) => !kept.includes(x));
    expect(keys(withheld).sort()).toEqual(['A/X', 'A/Y', 'B/X', 'B/Y']);
    for (const dim of ['channel', 'status'] as const) {
      const counts = new Map<string, number>();
      for (const x of withheld) counts.set(String(x[dim]), (counts.get(String(x[dim])) ?? 0) + 1);
      for (const n of counts.values()) expect(n).not.toBe(1);
    }
  });

  it('prefers a complement that is not alone on another line (its margin, grouped otherwise, would give it away)', () => {
    // A/Y is the only Y: the figures grouped by STATUS alone would show it. A/Z shares its Z line with B/Z.
    const groups = [g('A', 'X', 3), g('A', 'Y', 6), g('A', 'Z', 7), g('B', 'Z', 20)];
    const kept = suppressSmallGroups(groups, ['CHANNEL', 'STATUS'], 5);
    expect(keys(kept)).toEqual(['A/Y']);
  });

  it('k is configurable (STATS_MIN_CELL_SIZE), 5 by default', () => {
    expect(loadConfig({}).minimumCellSize).toBe(5);
    expect(loadConfig({ STATS_MIN_CELL_SIZE: '10' }).minimumCellSize).toBe(10);
    expect(() => loadConfig({ STATS_MIN_CELL_SIZE: '0' })).toThrow(/STATS_MIN_CELL_SIZE/);
  });
});
