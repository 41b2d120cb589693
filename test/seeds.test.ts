import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateAll } from '../src/modules/migrate.js';
import { SOURCE_NAMES, type SourceName } from '../src/modules/index.js';
import { EXAMPLE_SEED, exampleIdentities } from '../src/seed/examples.js';
import { scaleNamed, seedAll } from '../src/seed/index.js';
import { SCALES } from '../src/seed/scales.js';
import { MIN_APPLICANT_AGE } from '../src/modules/services/seed/dossiers.js';
import { seededDatabases, type SeededDatabases } from './support/databases.js';
import { expectExampleIdentities } from './support/example-identities.js';

let dbs: SeededDatabases;
beforeAll(async () => {
  dbs = await seededDatabases('tiny', 7);
});
afterAll(async () => dbs?.close());

const source = (name: SourceName) => dbs.connections.sources[name];

/** md5 of every row of every table of every source, ordered by the table's first column. */
async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of SOURCE_NAMES) {
    const { root, schema } = source(name);
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = ${schema} and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
      order by table_name`.execute(root);
    for (const { table_name: table } of tables) {
      const { rows } = await sql<{ hash: string | null; n: number }>`
        select md5(string_agg(t::text, '|' order by t::text)) as hash, count(*)::int as n
        from ${sql.id(schema, table)} t`.execute(root);
      out[`${schema}.${table}`] = `${rows[0]!.n}:${rows[0]!.hash}`;
    }
  }
  return out;
}

async function ids(name: SourceName, table: string, where = sql`true`): Promise<Set<number>> {
  const { root, schema } = source(name);
  const { rows } = await sql<{ id: number }>`select id from ${sql.id(schema, table)} where ${where}`.execute(root);
  return new Set(rows.map((r) => Number(r.id)));
}

async function column(name: SourceName, table: string, col: string, where = sql`true`): Promise<number[]> {
  const { root, schema } = source(name);
  const { rows } = await sql<{ v: number }>`select distinct ${sql.ref(col)} as v from ${sql.id(schema, table)} where ${sql.ref(col)} is not null and ${where}`.execute(root);
  return rows.map((r) => Number(r.v));
}

describe('migrations and seeds', () => {
  it('applies migrations twice without change', async () => {
    const before = await fingerprint();
    const reports = await migrateAll(dbs.connections);
    expect(reports.every((r) => r.applied.length === 0)).toBe(true);
    expect(await fingerprint()).toEqual(before);
  });

  it('gives identical data for the same seed value, and other data for another', async () => {
    const first = await fingerprint();
    await seedAll(dbs.connections, scaleNamed('tiny'), 7);
    expect(await fingerprint()).toEqual(first);
    await seedAll(dbs.connections, scaleNamed('tiny'), 8);
    const other = await fingerprint();
    expect(other['population.citizens']).not.toEqual(first['population.citizens']);
    await seedAll(dbs.connections, scaleNamed('tiny'), 7);
  });

  it('fills every seeded table', async () => {
    const prints = await fingerprint();
    for (const [table, print] of Object.entries(prints)) {
      if (table.startsWith('audit.')) continue;
      expect(Number(print.split(':')[0]), table).toBeGreaterThan(0);
    }
  });

  it('resolves every cross-source reference', async () => {
    const wards = await ids('reference', 'administrative_units', sql`level = 'WARD'`);
    const agencies = await ids('reference', 'agencies');
    const citizens = await ids('population', 'citizens');
    const businesses = await ids('business', 'businesses');
    const refs: Array<[number[], Set<number>, string]> = [
      [await column('population', 'citizens', 'ward_id'), wards, 'citizen ward'],
      [await column('population', 'households', 'ward_id'), wards, 'household ward'],
      [await column('business', 'businesses', 'ward_id'), wards, 'business ward'],
      [await column('business', 'businesses', 'legal_representative_id'), citizens, 'legal representative'],
      [await column('services', 'procedures', 'agency_id'), agencies, 'procedure agency'],
      [await column('services', 'dossiers', 'agency_id'), agencies, 'dossier agency'],
      [await column('services', 'dossiers', 'ward_id'), wards, 'dossier ward'],
      [await column('services', 'dossiers', 'applicant_id', sql`applicant_kind = 'CITIZEN'`), citizens, 'citizen applicant'],
      [await column('services', 'dossiers', 'applicant_id', sql`applicant_kind = 'BUSINESS'`), businesses, 'business applicant'],
      [await column('opendata', 'datasets', 'publisher_id'), agencies, 'dataset publisher'],
      [await column('ioc', 'indicators', 'owner_id'), agencies, 'indicator owner'],
      [await column('ioc', 'observations', 'ward_id'), wards, 'observation ward'],
    ];
    for (const [values, targets, what] of refs) {
      expect(values.length, what).toBeGreaterThan(0);
      expect(values.filter((v) => !targets.has(v)), what).toEqual([]);
    }
  });

  it('gives every citizen applicant a dossier as an adult on the day of submission', async () => {
    const { rows: dossiers } = await sql<{ code: string; applicant_id: number; submitted_at: Date }>`
      select code, applicant_id, submitted_at from services.dossiers where applicant_kind = 'CITIZEN'`.execute(source('services').root);
    const { rows: citizens } = await sql<{ id: number; birth_date: string }>`select id, birth_date from population.citizens`.execute(source('population').root);
    const born = new Map(citizens.map((c) => [Number(c.id), c.birth_date]));
    // The Đà Nẵng date of submission (UTC+7), and completed years since the birth date.
    const age = (birth: string, at: Date) => {
      const on = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
      return Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (on.slice(5) < birth.slice(5) ? 1 : 0);
    };
    expect(MIN_APPLICANT_AGE).toBe(18);
    expect(dossiers.length).toBeGreaterThan(400);
    const minors = dossiers.filter((d) => age(born.get(Number(d.applicant_id))!, new Date(d.submitted_at)) < 18);
    expect(minors.map((d) => d.code)).toEqual([]);
    // Young adults still apply: the rule moved only the minors.
    expect(dossiers.filter((d) => age(born.get(Number(d.applicant_id))!, new Date(d.submitted_at)) < 25).length).toBeGreaterThan(0);
  });

  it('has the example identities of its seed value', async () => {
    await expectExampleIdentities(dbs.connections, exampleIdentities(7, 'tiny'));
  });

  it('gives the documented example identities at every scale', () => {
    const documented = exampleIdentities(EXAMPLE_SEED, 'small');
    for (const scale of Object.keys(SCALES)) expect(exampleIdentities(EXAMPLE_SEED, scale), scale).toEqual(documented);
    expect(documented).toMatchObject({ officerAgency: { code: 'UBND-ST' }, citizen: { nationalId: '048082644728' }, caseReference: 'H17.23-241018-0000253' });
  });
});
