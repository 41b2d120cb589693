/**
 * The authorization policy, table-driven, through the real HTTP server: every caller × every
 * personal field × every path to it (direct query, nested relations, node/nodes, aliases, named
 * and inline fragments, the Applicant and result unions and the Node interface), every filter,
 * ordering and lookup on a personal field, and what each purpose opens. The personal fields are
 * read from the schema the gateway serves (buildGatewaySchema).
 *
 * The expectations are written out by hand in expectations.ts, from DESIGN.md (Authorization) and
 * the table in src/access/policy.ts; the test never asks the policy module, or it could not fail.
 * fixtures.ts picks the people, paths.ts holds the paths, runner.ts runs and compares; the
 * hand-written scenarios (row scopes, side channels, case references) are in scenarios.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalFields } from '../../src/access/graphql/personal.js';
import { CALLERS, FIELD_GRIDS, PATH_GRID, PURPOSE_GRID, USE_GRID } from './expectations.js';
import { caseCode, declaring } from './fixtures.js';
import { PATHS, USES } from './paths.js';
import { cellsOf, checkPath, expectedValue, expectOtherSubjectRefused, expectVisible, readC, runCaller, startMatrix, type CallerRun, type Matrix } from './runner.js';

let m: Matrix;
beforeAll(async () => {
  m = await startMatrix();
});
afterAll(async () => m?.gw.close());

describe('the grids and the catalogue agree', () => {
  it('every path has a name of its own, and a row in PATH_GRID; every row of PATH_GRID has its path', () => {
    const names = PATHS.map((p) => p.name);
    expect(new Set(names).size, 'path names are unique').toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(PATH_GRID).sort());
  });

  it('every use has a line in USE_GRID, and every line its use', () => {
    expect(USES.map((u) => u.name).sort()).toEqual(Object.keys(USE_GRID).sort());
  });

  it('every line of every grid has one cell per column', () => {
    for (const grid of FIELD_GRIDS) {
      for (const caller of CALLERS) {
        for (const line of Object.values(grid.rows[caller])) cellsOf(grid.columns, line);
      }
    }
    for (const { outcomes } of Object.values(USE_GRID)) cellsOf(CALLERS, outcomes);
  });
});

describe.each(CALLERS)('personal fields as %s', (caller) => {
  let run: CallerRun;
  beforeAll(async () => {
    run = await runCaller(m, caller);
  });

  it('answers every path with data (no other errors than FORBIDDEN)', () => {
    for (const { response } of run.byPath.values()) {
      for (const error of response.errors ?? []) expect(error.extensions?.code, error.message).toBe('FORBIDDEN');
    }
  });

  for (const path of PATHS) {
    it(path.name, () => {
      checkPath(m, caller, path, run);
    });
  }
});

describe('the list of personal fields', () => {
  it('has an expectation for every @Personal field and a field for every column of the table', () => {
    // Read from the schema the gateway serves, not from type-graphql's metadata.
    const marked = personalFields(m.schema).map((p) => `${p.typeName}.${p.field}`).sort();
    const tabled = FIELD_GRIDS.flatMap((grid) => grid.columns.map((c) => `${grid.typeName}.${c}`)).sort();
    expect(marked).toEqual(tabled);
  });
});

describe('filters, orderings and lookups on personal fields need read access to that field', () => {
  it.each(CALLERS)('%s', async (caller) => {
    const column = CALLERS.indexOf(caller);
    const cells = USES.map((use) => cellsOf(CALLERS, USE_GRID[use.name]!.outcomes)[column]);
    const document = `{\n${USES.map((use, i) => `  u${i}: ${use.field(m.f)}`).join('\n')}\n}`;
    const res = await m.gw.query(document, undefined, m.headers[caller]);
    expect(res.status).toBe(200);
    for (const [i, use] of USES.entries()) {
      const alias = `u${i}`;
      const where = `${caller} ${use.name}`;
      const value = res.data?.[alias];
      const errors = (res.errors ?? []).filter((e) => e.path?.[0] === alias);
      if (cells[i] === 'F') {
        expect(value, where).toBeNull();
        expect(errors.map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')]), where).toEqual([[[alias], 'FORBIDDEN', USE_GRID[use.name]!.refusal]]);
        continue;
      }
      expect(errors, where).toEqual([]);
      if (cells[i] === 'E') expect(value, where).toEqual(use.kind === 'lookup' ? null : { totalCount: 0 });
      else if (use.kind === 'lookup') expect(value, where).toEqual({ id: m.subjects[use.finds].id });
      else expect((value as { totalCount: number }).totalCount, where).toBeGreaterThan(0);
    }
    expect(res.errors?.length ?? 0, 'no other error').toBe(cells.filter((c) => c === 'F').length);
  });
});

describe("DOSSIER_PROCESSING: X-Case-Reference must name a dossier handled by the caller's agency (an admin: any dossier)", () => {
  for (const { name, role, purpose, case: reference, opens } of PURPOSE_GRID) {
    it(name, async () => {
      const res = await readC(m, await declaring(m.gw.databases.config.auth, role, purpose, reference && caseCode(m.f, reference)));
      if (opens === 'visible') return expectVisible(m, res);
      if (opens === 'not the case') return expectOtherSubjectRefused(m, res, /opens only the applicant of the dossier in X-Case-Reference/);
      if (opens === 'nothing') return expectOtherSubjectRefused(m, res, new RegExp(`X-Purpose ${purpose} opens no personal data`));
      // CITIZEN_REQUEST: the officer may call the applicant back, and learns nothing else.
      expect(res.data).toEqual({ c: { fullName: m.f.C.full_name, ward: expectedValue(m, 'C', 'ward'), phone: expectedValue(m, 'C', 'phone'), nationalId: null, birthDate: null } });
      expect((res.errors ?? []).map((e) => [String(e.path), e.extensions?.code, /opens only phone and email/.test(e.message)]).sort()).toEqual([
        ['c,birthDate', 'FORBIDDEN', true],
        ['c,nationalId', 'FORBIDDEN', true],
      ]);
    });
  }
});
