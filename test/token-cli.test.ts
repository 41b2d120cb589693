/**
 * `npm run token` (src/cli/token.ts), spawned as a developer runs it: it prints the token on
 * stdout and warns on stderr when the agency or the citizen it is asked for is not in the data,
 * without opening the embedded database (a running gateway holds it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SEED, exampleIdentities } from '../src/seed/examples.js';
import { seededDatabases, TEST_BACKEND, type SeededDatabases } from './support/databases.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const example = exampleIdentities(EXAMPLE_SEED, 'small');

let scratch: string;
/** A file where the embedded database folder would be: opening it would fail. */
let notAFolder: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'token-cli-'));
  notAFolder = path.join(scratch, 'pglite');
  writeFileSync(notAFolder, 'not a database folder\n');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment of a developer's shell: no database URL unless given, the embedded folder unusable. */
async function token(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; claims: Record<string, unknown> }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/DATABASE_URL$|^SEED|^NODE_ENV$|^DATA_DIR$/.test(k))) as Record<string, string>;
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', ...args], {
    cwd: ROOT,
    env: { ...base, DATA_DIR: notAFolder, ...env },
  });
  return { stdout, stderr, claims: decodeJwt(stdout.trim()) };
}

describe('npm run token', () => {
  it('mints without a warning for the example officer and citizen', async () => {
    const officer = await token(['--role', 'officer', '--agency', example.officerAgency.code]);
    expect(officer.claims).toMatchObject({ role: 'officer', agency: example.officerAgency.code });
    expect(officer.stderr).toBe('');
    const citizen = await token(['--role', 'citizen', '--citizen', example.citizen.nationalId]);
    expect(citizen.claims).toMatchObject({ role: 'citizen', citizen_id: example.citizen.nationalId });
    expect(citizen.stderr).toBe('');
  });

  it('warns about an agency that is not seeded, or handles no dossiers, and still prints the token', async () => {
    const unknown = await token(['--role', 'officer', '--agency', 'UBND-XX']);
    expect(unknown.claims).toMatchObject({ role: 'officer', agency: 'UBND-XX' });
    expect(unknown.stderr).toMatch(/^warning: no agency "UBND-XX" in the seeded reference data; known: .*UBND-ST/);
    const centre = await token(['--role', 'officer', '--agency', 'IOC']);
    expect(centre.claims).toMatchObject({ agency: 'IOC' });
    expect(centre.stderr).toMatch(/^warning: IOC .* handles no procedures: its officers see no dossiers/);
  });

  it('warns about a citizen who is not in the embedded data, without opening the database', async () => {
    const missing = await token(['--role', 'citizen', '--citizen', '048085001234']);
    expect(missing.claims).toMatchObject({ role: 'citizen', citizen_id: '048085001234' });
    expect(missing.stderr).toContain('warning: no citizen with national id 048085001234 in the seeded data set (SEED_SCALE=small, SEED=20241031; the embedded database itself is not opened');
    expect(missing.stderr).toContain(`the example citizen is ${example.citizen.nationalId}`);
    // Another seed value seeds other people: the example citizen of the default seed is not among them.
    const otherSeed = await token(['--role', 'citizen', '--citizen', example.citizen.nationalId], { SEED: '7' });
    expect(otherSeed.stderr).toMatch(/^warning: no citizen with national id \d{12} in the seeded data set \(SEED_SCALE=small, SEED=7;/);
  });

  it('says plainly when it could not check the citizen', async () => {
    const down = await token(['--role', 'citizen', '--citizen', example.citizen.nationalId], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(down.claims).toMatchObject({ citizen_id: example.citizen.nationalId });
    expect(down.stderr).toMatch(/^warning: could not check citizen \d{12}: the population source \(DATABASE_URL\) answered: .*ECONNREFUSED/);
  });

  // A server the CLI can reach is there only in the PostgreSQL run; the embedded path is above.
  describe.runIf(TEST_BACKEND === 'postgres')('with the population source on a PostgreSQL server', () => {
    let dbs: SeededDatabases;
    beforeAll(async () => {
      dbs = await seededDatabases('tiny');
    });
    afterAll(async () => dbs?.close());

    it('looks the citizen up there', async () => {
      const tiny = exampleIdentities(EXAMPLE_SEED, 'tiny');
      expect((await token(['--role', 'citizen', '--citizen', tiny.citizen.nationalId], dbs.env)).stderr).toBe('');
      const missing = await token(['--role', 'citizen', '--citizen', '048085001234'], dbs.env);
      expect(missing.stderr).toMatch(/^warning: no citizen with national id 048085001234 in the population source \(POPULATION_DATABASE_URL\)/);
    });
  });
});
