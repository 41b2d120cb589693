import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessRepositories, DIGITAL_TECH_INDUSTRY_CODES, type BusinessRepositories, type BusinessRow,
} from '../../../src/modules/business/db/index.js';
import type { PageArgs } from '../../../src/platform/db/keyset.js';
import { populationRepositories, type PopulationRepositories } from '../../../src/modules/population/db/index.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import { taxCheckDigit } from '../../../src/modules/business/seed/codes.js';
import { seedBusiness } from '../../../src/modules/business/seed/seed.js';
import { ageOn, dayToIso, TODAY_DAY } from '../../../src/modules/population/seed/residents.js';
import { scaleNamed } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkBothWays } from '../../support/keyset-walk.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

const SEED = 20241031;
const SCALE = scaleNamed('tiny');
const TOTAL = SCALE.enterprises + SCALE.householdBusinesses;

let dbs: SeededDatabases;
let repos: BusinessRepositories;
let population: PopulationRepositories;
let everything: BusinessRow[];

beforeAll(async () => {
  dbs = await seededDatabases('tiny', SEED);
  repos = businessRepositories(dbs.connections.sources.business.db);
  population = populationRepositories(dbs.connections.sources.population.db);
  everything = await repos.businesses.findByIds(Array.from({ length: TOTAL }, (_, i) => i + 1));
});
afterAll(async () => dbs?.close());

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** What the search promises: every word of the term, in any order, without case or diacritics. */
function matches(text: string, term: string): boolean {
  const folded = stripDiacritics(text).toLowerCase();
  return term.toLowerCase().split(/\s+/).filter(Boolean).every((word) => folded.includes(word));
}

async function statements<T>(fn: (counted: BusinessRepositories) => Promise<T>): Promise<{ result: T; count: number }> {
  const stats = new QueryStats();
  const result = await counting(stats, fn);
  return { result, count: stats.total };
}

const count = (keep: (b: BusinessRow) => boolean) => everything.filter(keep).length;


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: BusinessRepositories) => T): T {
  return fn(businessRepositories(countedOn(dbs.connections.sources.business.db, 'business', stats)));
}

describe('business repository', () => {
  it('holds the scale\'s enterprises, then its household businesses', () => {
    expect(everything).toHaveLength(TOTAL);
    expect(everything.filter((b) => b.id <= SCALE.enterprises).every((b) => b.kind === 'ENTERPRISE' && b.legal_form !== 'HOUSEHOLD')).toBe(true);
    expect(everything.filter((b) => b.id > SCALE.enterprises).every((b) => b.kind === 'HOUSEHOLD_BUSINESS' && b.legal_form === 'HOUSEHOLD')).toBe(true);
  });

  it('counts exactly 2.3 digital technology enterprises per 1,000 residents, all in ICT industries', async () => {
    const expected = Math.round((SCALE.citizens * 2.3) / 1000);
    expect(await repos.businesses.countDigitalTech()).toBe(expected);
    expect(await repos.businesses.count({ digitalTech: true })).toBe(expected);
    for (const b of everything) expect(b.digital_tech).toBe(b.kind === 'ENTERPRISE' && DIGITAL_TECH_INDUSTRY_CODES.includes(b.industry_code));
    const industries = await repos.businesses.countByIndustry();
    expect(industries.reduce((sum, i) => sum + i.count, 0)).toBe(TOTAL);
    expect(industries.filter((i) => i.digitalTech).reduce((sum, i) => sum + i.count, 0)).toBe(expected);
  });

  it('gives enterprises valid Đà Nẵng tax codes and household businesses registration numbers', () => {
    for (const b of everything) {
      if (b.kind === 'ENTERPRISE') {
        expect(b.code).toMatch(/^040\d{7}$/);
        expect(taxCheckDigit(b.code.slice(0, 9))).toBe(Number(b.code[9]));
      } else {
        expect(b.code).toMatch(/^32[A-G]8\d{6}$/);
        expect(b.charter_capital).toBeNull();
      }
      expect(b.industry_code).toMatch(/^\d{4}$/);
    }
    expect(new Set(everything.map((b) => b.code)).size).toBe(TOTAL);
  });

  it('names an existing adult citizen as every legal representative', async () => {
    const ids = [...new Set(everything.map((b) => b.legal_representative_id))];
    const citizens = new Map((await population.citizens.findByIds(ids)).map((c) => [c.id, c]));
    expect(citizens.size).toBe(ids.length);
    for (const b of everything) {
      const representative = citizens.get(b.legal_representative_id)!;
      expect(ageOn(representative.birth_date, dayToIso(TODAY_DAY))).toBeGreaterThanOrEqual(18);
      expect(ageOn(representative.birth_date, b.registered_on)).toBeGreaterThanOrEqual(18);
      if (b.kind === 'HOUSEHOLD_BUSINESS') {
        // Named after the owner, or after the trade and the owner's given name.
        expect(b.name === `Hộ kinh doanh ${representative.full_name}` || b.name.endsWith(` ${representative.full_name.split(' ').at(-1)}`)).toBe(true);
      }
    }
  });

  it('finds batches by id and by code in one statement each', async () => {
    const { result, count: n } = await statements((counted) => counted.businesses.findByIds([2, 30, 999_999]));
    expect(result.map((b) => b.id).sort((a, b) => a - b)).toEqual([2, 30]);
    expect(n).toBe(1);
    const codes = [everything[0]!.code, everything[TOTAL - 1]!.code, '0000000000'];
    expect((await repos.businesses.findByCodes(codes)).map((b) => b.id).sort((a, b) => a - b)).toEqual([1, TOTAL]);
  });

  it('filters by kind, status, wards, industry, legal form, representative and registration dates', async () => {
    expect(await repos.businesses.count({ kind: 'HOUSEHOLD_BUSINESS' })).toBe(SCALE.householdBusinesses);
    expect(await repos.businesses.count({ status: 'ACTIVE' })).toBe(count((b) => b.status === 'ACTIVE'));
    const wards = [...new Set(everything.slice(0, 5).map((b) => b.ward_id))];
    expect(await repos.businesses.count({ wardIds: wards })).toBe(count((b) => wards.includes(b.ward_id)));
    expect(await repos.businesses.count({ wardId: wards[0]! })).toBe(count((b) => b.ward_id === wards[0]));
    expect(await repos.businesses.count({ wardIds: [] })).toBe(0);
    const code = everything[0]!.industry_code;
    expect(await repos.businesses.count({ industryCode: code })).toBe(count((b) => b.industry_code === code));
    expect(await repos.businesses.count({ industryCode: code.slice(0, 2) })).toBe(count((b) => b.industry_code.startsWith(code.slice(0, 2))));
    expect(await repos.businesses.count({ industryCode: '6%' })).toBe(0);
    expect(await repos.businesses.count({ legalForm: 'JOINT_STOCK' })).toBe(count((b) => b.legal_form === 'JOINT_STOCK'));
    expect(await repos.businesses.count({ digitalTech: false, kind: 'ENTERPRISE' })).toBe(count((b) => !b.digital_tech && b.kind === 'ENTERPRISE'));
    const representative = everything[3]!.legal_representative_id;
    expect(await repos.businesses.count({ legalRepresentativeId: representative })).toBe(count((b) => b.legal_representative_id === representative));
    const range = { registeredFrom: '2015-01-01', registeredTo: '2020-12-31' };
    expect(await repos.businesses.count(range)).toBe(count((b) => b.registered_on >= range.registeredFrom && b.registered_on <= range.registeredTo));
  });

  it('searches names without diacritics or case', async () => {
    const target = everything.find((b) => b.kind === 'ENTERPRISE' && stripDiacritics(b.name) !== b.name)!;
    const words = stripDiacritics(target.name).toLowerCase().split(' ');
    const term = words.slice(2).join(' ');
    const page = await repos.businesses.list({ search: term }, 'NAME', cursors.page({ first: 50 }));
    expect(page.edges.map((e) => e.node.id)).toContain(target.id);
    expect(await repos.businesses.count({ search: term })).toBe(count((b) => matches(b.name, term)));
    expect(await repos.businesses.count({ search: 'ho kinh doanh' })).toBe(SCALE.householdBusinesses);
  });

  it.each(['NAME', 'REGISTERED_ON', 'CHARTER_CAPITAL'] as const)('visits every business exactly once by %s, forward and backward', async (order) => {
    const { forward, backward } = await walkBothWays((page) => repos.businesses.list({}, order, cursors.page(page)), 6, (b) => b.id);
    expect(forward).toHaveLength(TOTAL);
    expect(new Set(forward).size).toBe(TOTAL);
    expect(backward).toEqual(forward);
    const byId = new Map(everything.map((b) => [b.id, b]));
    const rows = forward.map((id) => byId.get(id)!);
    for (let i = 1; i < rows.length; i += 1) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      if (order === 'REGISTERED_ON') expect(a.registered_on >= b.registered_on).toBe(true);
      // Largest capital first; businesses without one come last.
      if (order === 'CHARTER_CAPITAL') expect(a.charter_capital ?? -1).toBeGreaterThanOrEqual(b.charter_capital ?? -1);
    }
  });

  it('refuses a cursor of another ordering', async () => {
    const page = await repos.businesses.list({}, 'NAME', cursors.page({ first: 1 }));
    await expect(repos.businesses.list({}, 'CHARTER_CAPITAL', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
  });

  it('pages the businesses of a batch of legal representatives in one statement, as one list per citizen would', async () => {
    const byRepresentative = new Map<number, number>();
    for (const b of everything) byRepresentative.set(b.legal_representative_id, (byRepresentative.get(b.legal_representative_id) ?? 0) + 1);
    const several = [...byRepresentative].filter(([, n]) => n > 1).map(([id]) => id);
    expect(several.length).toBeGreaterThan(0);
    const nobody = [...Array(SCALE.citizens).keys()].map((i) => i + 1).find((id) => !byRepresentative.has(id))!;
    const citizens = [...several, everything[0]!.legal_representative_id, nobody];
    for (const order of ['NAME', 'REGISTERED_ON', 'CHARTER_CAPITAL'] as const) {
      for (const args of [{ first: 1 }, { last: 1 }, { first: 5 }] satisfies PageArgs[]) {
        const { result: pages, count: n } = await statements((counted) => counted.businesses.pagesByLegalRepresentative({ parentIds: citizens, order, page: cursors.page(args) }));
        expect(n).toBe(1);
        expect([...pages.keys()].sort((a, b) => a - b)).toEqual([...new Set(citizens)].sort((a, b) => a - b));
        for (const id of citizens) expect(pages.get(id)).toEqual(await repos.businesses.list({ legalRepresentativeId: id }, order, cursors.page(args)));
      }
    }
    // Past a cursor, too: the second page of a citizen with several businesses.
    const first = await repos.businesses.list({ legalRepresentativeId: several[0]! }, 'NAME', cursors.page({ first: 1 }));
    const after = { first: 1, after: first.edges[0]!.cursor };
    const pages = await repos.businesses.pagesByLegalRepresentative({ parentIds: [several[0]!], order: 'NAME', page: cursors.page(after) });
    expect(pages.get(several[0]!)).toEqual(await repos.businesses.list({ legalRepresentativeId: several[0]! }, 'NAME', cursors.page(after)));
  });

  it('gives an identical table when seeded again with the same value', async () => {
    const { root } = dbs.connections.sources.business;
    const hash = async () => (await sql<{ h: string }>`select md5(string_agg(t::text, '|' order by id)) as h from business.businesses t`.execute(root)).rows[0]!.h;
    const before = await hash();
    await seedBusiness({ scale: SCALE, seed: SEED, sources: dbs.connections.sources, log: () => undefined });
    expect(await hash()).toBe(before);
  });
});
