import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageArgs } from '../../../src/platform/db/keyset.js';
import { populationRepositories, type CitizenRow, type PopulationRepositories } from '../../../src/modules/population/db/index.js';
import { countedOn, QueryStats } from '../../../src/platform/db/query-stats.js';
import { seedPopulation } from '../../../src/modules/population/seed/seed.js';
import { ageOn, dayToIso, ResidentModel, TODAY_DAY } from '../../../src/modules/population/seed/residents.js';
import { scaleNamed } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';
import { walkBothWays, walkKeyset } from '../../support/keyset-walk.js';
import { CursorCodec } from '../../../src/platform/db/cursors.js';

/** Repositories page with a cursor codec; these tests serve no caller (the anonymous binding). */
const cursors = CursorCodec.fromSecret('repository tests cursor key');

const SEED = 20241031;
const SCALE = scaleNamed('tiny');
const TODAY = dayToIso(TODAY_DAY);

let dbs: SeededDatabases;
let repos: PopulationRepositories;
let everyone: CitizenRow[];

beforeAll(async () => {
  dbs = await seededDatabases('tiny', SEED);
  repos = populationRepositories(dbs.connections.sources.population.db);
  everyone = await repos.citizens.findByIds(Array.from({ length: SCALE.citizens }, (_, i) => i + 1));
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

async function statements<T>(fn: (counted: PopulationRepositories) => Promise<T>): Promise<{ result: T; count: number }> {
  const stats = new QueryStats();
  const result = await counting(stats, fn);
  return { result, count: stats.total };
}


/** Runs `fn` on this source's repositories counting their statements on `stats` (as a request's do). */
function counting<T>(stats: QueryStats, fn: (counted: PopulationRepositories) => T): T {
  return fn(populationRepositories(countedOn(dbs.connections.sources.population.db, 'population', stats)));
}

describe('population repositories', () => {
  it('holds the scale\'s citizens in households whose heads and member counts add up', async () => {
    expect(everyone).toHaveLength(SCALE.citizens);
    const households = await repos.households.list({}, 'CODE', cursors.page({ first: 100 }));
    const total = await repos.households.count({});
    expect(total).toBeGreaterThan(SCALE.citizens / 5);
    const { rows } = await sql<{ members: number; heads_ok: number }>`
      select sum(member_count)::int as members,
             count(*) filter (where head_citizen_id in (select id from population.citizens c where c.household_id = h.id))::int as heads_ok
      from population.households h`.execute(dbs.connections.sources.population.root);
    expect(rows[0]).toEqual({ members: SCALE.citizens, heads_ok: total });
    expect(households.edges[0]!.node.code).toMatch(/^HK-\d{5}-\d{6}$/);
  });

  it('finds batches of citizens by id and national id in one statement each', async () => {
    const { result: byId, count } = await statements((counted) => counted.citizens.findByIds([3, 1, 999_999]));
    expect(byId.map((r) => r.id).sort()).toEqual([1, 3]);
    expect(count).toBe(1);
    const wanted = [everyone[10]!.national_id, everyone[500]!.national_id, '000000000000'];
    const byNationalId = await repos.citizens.findByNationalIds(wanted);
    expect(byNationalId.map((r) => r.id).sort((a, b) => a - b)).toEqual([everyone[10]!.id, everyone[500]!.id]);
  });

  it('finds every member of a batch of households in one statement', async () => {
    const households = await repos.households.findByIds([1, 2, 3, 40]);
    const { result: members, count } = await statements((counted) => counted.citizens.findByHouseholdIds(households.map((h) => h.id)));
    expect(count).toBe(1);
    for (const household of households) {
      const own = members.filter((m) => m.household_id === household.id);
      expect(own).toHaveLength(household.member_count);
      expect(own.map((m) => m.id)).toContain(household.head_citizen_id);
      expect(own.every((m) => m.ward_id === household.ward_id)).toBe(true);
    }
  });

  it('filters by ward, wards, household, gender, birth dates, national id and a row scope', async () => {
    const ward = everyone[0]!.ward_id;
    expect(await repos.citizens.count({ wardId: ward })).toBe(everyone.filter((c) => c.ward_id === ward).length);
    const wards = [...new Set(everyone.slice(0, 50).map((c) => c.ward_id))];
    expect(await repos.citizens.count({ wardIds: wards })).toBe(everyone.filter((c) => wards.includes(c.ward_id)).length);
    expect(await repos.citizens.count({ wardIds: [] })).toBe(0);
    expect(await repos.citizens.count({ householdId: everyone[0]!.household_id })).toBe(everyone.filter((c) => c.household_id === everyone[0]!.household_id).length);
    expect(await repos.citizens.count({ gender: 'FEMALE' })).toBe(everyone.filter((c) => c.gender === 'FEMALE').length);
    const born = { bornFrom: '1990-01-01', bornTo: '1999-12-31' };
    expect(await repos.citizens.count(born)).toBe(everyone.filter((c) => c.birth_date >= born.bornFrom && c.birth_date <= born.bornTo).length);
    const one = await repos.citizens.list({ nationalId: everyone[7]!.national_id }, 'NAME', cursors.page({ first: 5 }));
    expect(one.edges.map((e) => e.node.id)).toEqual([everyone[7]!.id]);

    const scope = [5, 6, 7, 800];
    expect((await repos.citizens.list({ ids: scope }, 'NEWEST', cursors.page({ first: 10 }))).edges.map((e) => e.node.id)).toEqual([800, 7, 6, 5]);
    expect(await repos.citizens.count({ ids: scope, gender: 'MALE' })).toBe(everyone.filter((c) => scope.includes(c.id) && c.gender === 'MALE').length);
    expect(await repos.citizens.count({ ids: [] })).toBe(0);
  });

  it('searches names without diacritics or case', async () => {
    const target = everyone.find((c) => stripDiacritics(c.full_name) !== c.full_name && c.full_name.split(' ').length >= 3)!;
    const plain = stripDiacritics(target.full_name).toLowerCase();
    const page = await repos.citizens.list({ search: plain }, 'NAME', cursors.page({ first: 100 }));
    expect(page.edges.map((e) => e.node.id)).toContain(target.id);
    const expected = everyone.filter((c) => matches(c.full_name, plain)).length;
    expect(await repos.citizens.count({ search: plain })).toBe(expected);
    expect(await repos.citizens.count({ search: `  ${plain.toUpperCase()} ` })).toBe(expected);
    // Words in any order: "quang nguyen" finds "Nguyễn Văn Quảng".
    const reversed = plain.split(' ').reverse().join(' ');
    expect(await repos.citizens.count({ search: reversed })).toBe(everyone.filter((c) => matches(c.full_name, reversed)).length);

    const households = await repos.households.findByIds([1]);
    const street = stripDiacritics(households[0]!.address.split(',')[0]!).toLowerCase();
    expect((await repos.households.list({ search: street }, 'ADDRESS', cursors.page({ first: 100 }))).edges.map((e) => e.node.id)).toContain(1);
  });

  it.each(['NAME', 'BIRTH_DATE', 'NEWEST'] as const)('visits every citizen exactly once by %s, forward and backward', async (order) => {
    const { forward, backward } = await walkBothWays((page) => repos.citizens.list({}, order, cursors.page(page)), 37, (c) => c.id);
    expect(forward).toHaveLength(SCALE.citizens);
    expect(new Set(forward).size).toBe(SCALE.citizens);
    expect(backward).toEqual(forward);
    const byId = new Map(everyone.map((c) => [c.id, c]));
    const rows = forward.map((id) => byId.get(id)!);
    for (let i = 1; i < rows.length; i += 1) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      if (order === 'NEWEST') expect(a.id).toBeGreaterThan(b.id);
      if (order === 'BIRTH_DATE') expect(a.birth_date <= b.birth_date).toBe(true);
    }
  });

  it('pages a filtered list and households too', async () => {
    const ward = everyone[0]!.ward_id;
    const { forward, backward } = await walkBothWays((page) => repos.citizens.list({ wardId: ward, gender: 'MALE' }, 'NAME', cursors.page(page)), 4, (c) => c.id);
    expect(forward).toHaveLength(await repos.citizens.count({ wardId: ward, gender: 'MALE' }));
    expect(backward).toEqual(forward);

    const codes = await walkKeyset((page) => repos.households.list({}, 'CODE', cursors.page(page)), 'forward', 50, (h) => h.code);
    expect(codes).toHaveLength(await repos.households.count({}));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('refuses a cursor of another ordering', async () => {
    const page = await repos.citizens.list({}, 'NAME', cursors.page({ first: 1 }));
    await expect(repos.citizens.list({}, 'BIRTH_DATE', cursors.page({ first: 1, after: page.edges[0]!.cursor }))).rejects.toThrow(/Invalid cursor/);
    await expect(repos.citizens.list({}, 'NEWEST', cursors.page({ first: 1, after: 'not-a-cursor' }))).rejects.toThrow(/Invalid cursor/);
  });

  it('pages the members of a batch of households in one statement, as one list per household would', async () => {
    const households = [1, 2, 3, 4, 5, 6, 999_999];
    for (const args of [{ first: 2 }, { last: 1 }, { first: 10 }] satisfies PageArgs[]) {
      const { result: pages, count } = await statements((counted) => counted.citizens.pagesByHousehold({ parentIds: households, order: 'BIRTH_DATE', page: cursors.page(args) }));
      expect(count).toBe(1);
      for (const id of households) {
        const alone = await repos.citizens.list({ householdId: id }, 'BIRTH_DATE', cursors.page(args));
        expect(pages.get(id)).toEqual(alone);
      }
    }
  });

  it('gives well-formed national ids whose digits agree with gender and birth date', () => {
    const provinces = new Map<string, number>();
    for (const c of everyone) {
      expect(c.national_id).toMatch(/^\d{12}$/);
      const year = Number(c.birth_date.slice(0, 4));
      const digit = Number(c.national_id[3]);
      expect(digit).toBe((year >= 2000 ? 2 : 0) + (c.gender === 'FEMALE' ? 1 : 0));
      expect(c.national_id.slice(4, 6)).toBe(c.birth_date.slice(2, 4));
      provinces.set(c.national_id.slice(0, 3), (provinces.get(c.national_id.slice(0, 3)) ?? 0) + 1);
    }
    expect([...provinces.keys()].every((p) => ['048', '001', '079', '049', '046', '045', '051', '044', '052'].includes(p))).toBe(true);
    const elsewhere = 1 - provinces.get('048')! / everyone.length;
    expect(elsewhere).toBeGreaterThan(0.12);
    expect(elsewhere).toBeLessThan(0.28);
  });

  it('has an age pyramid, Vietnamese mobile numbers and no contact details for young children', () => {
    const ages = everyone.map((c) => ageOn(c.birth_date, TODAY));
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(95);
    const children = ages.filter((a) => a < 15).length / ages.length;
    expect(children).toBeGreaterThan(0.15);
    expect(children).toBeLessThan(0.3);
    everyone.forEach((c, i) => {
      if (c.phone !== null) expect(c.phone).toMatch(/^0[35789]\d{8}$/);
      if (c.email !== null) expect(c.email).toMatch(/^[a-z0-9.]+@[a-z]+\.com$/);
      if (ages[i]! < 15) expect([c.phone, c.email]).toEqual([null, null]);
    });
    expect(new Set(everyone.filter((c) => c.phone).map((c) => c.phone)).size).toBe(everyone.filter((c) => c.phone).length);
  });

  it('matches the pure resident model other seeds use to pick citizens', () => {
    const model = new ResidentModel(SEED, SCALE.citizens);
    for (const c of everyone.filter((_, i) => i % 37 === 0)) {
      const { resident, household } = model.resident(c.id);
      expect([resident.fullName, resident.gender, dayToIso(resident.birthDay), household.ward.id]).toEqual([c.full_name, c.gender, c.birth_date, c.ward_id]);
      expect(resident.age).toBe(ageOn(c.birth_date, TODAY));
    }
  });

  it('gives identical tables when seeded again with the same value', async () => {
    const { root } = dbs.connections.sources.population;
    const hash = async () => {
      const { rows } = await sql<{ citizens: string; households: string }>`
        select (select md5(string_agg(t::text, '|' order by id)) from population.citizens t) as citizens,
               (select md5(string_agg(t::text, '|' order by id)) from population.households t) as households`.execute(root);
      return rows[0]!;
    };
    const before = await hash();
    await seedPopulation({ scale: SCALE, seed: SEED, sources: dbs.connections.sources, log: () => undefined });
    expect(await hash()).toEqual(before);
  });
});
