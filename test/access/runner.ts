/**
 * The runner of the authorization matrix: starts the gateway on the tiny seed, builds the schema it
 * serves (the personal fields are read from it), picks the fixtures, runs every path of a caller
 * (one request per subject, every path under its own alias) and compares each answer with the
 * grids of expectations.ts. Any mismatch fails: there is no list of tolerated ones.
 */
import type { GraphQLSchema } from 'graphql';
import { expect } from 'vitest';
import { buildGatewaySchema } from '../../src/modules/schema.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';
import type { CallerHeaders } from '../support/as.js';
import { FIELD_GRIDS, OUTCOME, PATH_GRID, SUBJECT_TYPES, type CallerName, type FieldGrid, type Outcome, type PathExpectation, type SubjectName, type TypeName } from './expectations.js';
import { callerHeaders, pickFixtures, subjectsOf, type Fixtures, type Subject } from './fixtures.js';
import { fieldsOf, keyOf, obj, PATHS, selection, type Key, type Located, type MatrixPath } from './paths.js';

export interface Matrix {
  gw: TestGateway;
  /** The schema the gateway serves (buildGatewaySchema): its extensions name the personal fields. */
  schema: GraphQLSchema;
  f: Fixtures;
  subjects: Record<SubjectName, Subject>;
  headers: Record<CallerName, CallerHeaders>;
}

/** The gateway (with limits high enough for one document per caller and subject), its schema, the fixtures and the callers. */
export async function startMatrix(): Promise<Matrix> {
  // One document batches every path of a caller (to keep the run short): far above the default cost limit.
  const gw = await startTestGateway('tiny', { MAX_QUERY_COST: '2000000', MAX_ALIASES: '500', MAX_TOKENS: '100000' });
  // The gateway builds its schema the same way (startGateway), with the personal data guarded.
  const schema = await buildGatewaySchema();
  const f = await pickFixtures(gw);
  return { gw, schema, f, subjects: await subjectsOf(f), headers: await callerHeaders(gw.databases.config.auth, f) };
}

/** The parts of a response a client sees, without the development-only statement counts. */
export const visible = (r: GraphQLResponse) => ({ status: r.status, data: r.data, errors: r.errors });

// ---------------------------------------------------------------------------------------------
// Reading the grids
// ---------------------------------------------------------------------------------------------

export function gridOf(typeName: TypeName): FieldGrid | undefined {
  return FIELD_GRIDS.find((g) => g.typeName === typeName);
}

/** One line of a grid, cell by cell; a line must have one cell per column. */
export function cellsOf(columns: readonly string[], line: string): string[] {
  const cells = line.trim().split(/\s+/);
  expect(cells).toHaveLength(columns.length);
  return cells;
}

export function expectedOutcome(caller: CallerName, subject: SubjectName, field: string): Outcome {
  const typeName = SUBJECT_TYPES[subject];
  const grid = gridOf(typeName);
  const line = grid?.rows[caller][subject];
  if (!grid || line === undefined) throw new Error(`No line for ${caller} × ${subject} in the ${typeName} grid: add it to expectations.ts`);
  const cells = cellsOf(grid.columns, line);
  const index = grid.columns.indexOf(field);
  const outcome = index < 0 ? undefined : OUTCOME[cells[index]!];
  if (!outcome) throw new Error(`No expectation for ${typeName}.${field}: add a column to the table`);
  return outcome;
}

export function pathExpectation(name: string): PathExpectation {
  const expectation = PATH_GRID[name];
  if (!expectation) throw new Error(`No row for the path "${name}" in PATH_GRID (expectations.ts)`);
  return expectation;
}

/** The value a subject's personal field shows when visible. */
export function expectedValue(m: Matrix, subject: SubjectName, field: string): unknown {
  const { typeName, values } = m.subjects[subject];
  if (!(field in values)) throw new Error(`No expected value for ${typeName}.${field}`);
  return values[field];
}

// ---------------------------------------------------------------------------------------------
// Running a caller's paths: one request per subject, every path under its own alias
// ---------------------------------------------------------------------------------------------

export interface CallerRun {
  byPath: Map<string, { alias: string; response: GraphQLResponse }>;
}

export async function runCaller(m: Matrix, caller: CallerName): Promise<CallerRun> {
  const byPath = new Map<string, { alias: string; response: GraphQLResponse }>();
  const subjects = [...new Set(PATHS.map((p) => p.subject))];
  for (const subject of subjects) {
    const fragments = new Set<string>();
    const batch = PATHS.map((p, i) => ({ p, alias: `p${i}` })).filter(({ p }) => p.subject === subject);
    const fields = batch.map(({ p, alias }) => `${alias}: ${p.field(m.f, (typeName) => selection(m.schema, typeName, p.style, fragments, m.subjects[p.subject].id !== undefined))}`);
    const document = `query Matrix${subject} {\n  ${fields.join('\n  ')}\n}\n${[...fragments].join('\n')}`;
    const response = await m.gw.query(document, undefined, m.headers[caller]);
    expect(response.status, JSON.stringify(response.errors)).toBe(200);
    for (const { p, alias } of batch) byPath.set(p.name, { alias, response });
  }
  return { byPath };
}

const same = (a: readonly Key[] | undefined, b: readonly Key[]): boolean => a !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);

/** Compares the answer of one path for one caller with PATH_GRID and the subject's field grid. */
export function checkPath(m: Matrix, caller: CallerName, path: MatrixPath, run: CallerRun): void {
  const expectation = pathExpectation(path.name);
  const { alias, response } = run.byPath.get(path.name)!;
  const data = obj(response.data);
  expect(data, 'the rest of the response is served').not.toBeNull();
  const mine = (response.errors ?? []).filter((e) => e.path?.[0] === alias);
  const located = path.locate(m.f, data![alias], [alias]);
  const { typeName, id: subjectId } = m.subjects[path.subject];

  if (expectation.refused?.callers.includes(caller)) {
    expect(expectation.reach, `${path.name}: a refused caller reaches nothing`).not.toContain(caller);
    expect(data![alias], `${caller}: ${path.name} is refused at the root field`).toBeNull();
    expect(mine.map((e) => [e.path, e.extensions?.code])).toEqual([[[alias], 'FORBIDDEN']]);
    // The message names exactly what was refused, and nothing else.
    expect(mine[0]!.message).toMatch(new RegExp(`: ${expectation.refused.because}$`));
    return;
  }

  if (!expectation.reach.includes(caller)) {
    expect(located.found, `${caller} must not reach ${path.subject} through ${path.name}`).toBe(false);
    if (expectation.linkDenied?.includes(caller)) {
      expect(located.found ? undefined : located.brokenAt).toBeDefined();
      const brokenAt = (located as { brokenAt: Key[] }).brokenAt;
      expect(mine.map((e) => [e.path, e.extensions?.code])).toEqual([[brokenAt, 'FORBIDDEN']]);
    } else {
      expect(mine, 'an unreachable subject raises no error').toEqual([]);
    }
    return;
  }

  expect(located.found, `${caller} reaches ${path.subject} through ${path.name}`).toBe(true);
  const { object, path: at } = located as Extract<Located, { found: true }>;
  if (subjectId !== undefined) expect(object.id).toBe(subjectId);
  if (path.style !== 'plain' && path.style !== 'aliased') expect(object.__typename).toBe(typeName);
  const expectedErrors: Key[][] = [];
  for (const field of fieldsOf(m.schema, typeName)) {
    const key = keyOf(field, path.style);
    const outcome = expectedOutcome(caller, path.subject, field);
    const value = object[key];
    const where = `${caller} ${typeName}.${field} via ${path.name}`;
    expect(key in object, `${where}: the key is in the response`).toBe(true);
    if (outcome === 'denied') {
      expect(value, where).toBeNull();
      expectedErrors.push([...at, key]);
    } else if (outcome === 'masked') {
      const real = String(expectedValue(m, path.subject, field));
      // Only the serial's last 4 digits: no province, century, gender or birth-year digit.
      expect(value, where).toBe(`********${real.slice(-4)}`);
      expect(value, where).toMatch(/^\*{8}\d{4}$/);
    } else {
      expect(value, where).toEqual(expectedValue(m, path.subject, field));
    }
  }
  // Exactly the denied fields of the subject fail, each FORBIDDEN with a path naming the field.
  const underSubject = mine.filter((e) => same(e.path?.slice(0, at.length), at));
  for (const error of underSubject) expect(error.extensions?.code, error.message).toBe('FORBIDDEN');
  const actual = underSubject.map((e) => e.path!);
  expect(actual.length, JSON.stringify(actual)).toBe(expectedErrors.length);
  for (const expected of expectedErrors) expect(actual.some((p) => same(p, expected)), `FORBIDDEN at ${expected.join('.')}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Reading C under a declared purpose (the purpose grid and the case scenarios)
// ---------------------------------------------------------------------------------------------

const READ_C = `query($id: ID!) { c: node(id: $id) { ... on Citizen { fullName ward { id } phone nationalId birthDate } } }`;

export const readC = (m: Matrix, caller: CallerHeaders) => m.gw.query(READ_C, { id: m.subjects.C.id }, caller);

/** C's name and ward, which every purpose leaves visible to an officer of A and an admin. */
const identityOfC = (m: Matrix) => ({ fullName: expectedValue(m, 'C', 'fullName'), ward: expectedValue(m, 'C', 'ward') });

/** The case reference does not stand: the fields beyond name and ward are denied, naming X-Case-Reference. */
export function expectCaseRefused(m: Matrix, res: GraphQLResponse): void {
  expect(res.status).toBe(200);
  expect(res.data).toEqual({ c: { ...identityOfC(m), phone: null, nationalId: null, birthDate: null } });
  expect((res.errors ?? []).map((e) => [String(e.path), e.extensions?.code]).sort()).toEqual([
    ['c,birthDate', 'FORBIDDEN'],
    ['c,nationalId', 'FORBIDDEN'],
    ['c,phone', 'FORBIDDEN'],
  ]);
  for (const error of res.errors!) expect(error.message).toMatch(/X-Case-Reference/);
}

export function expectVisible(m: Matrix, res: GraphQLResponse): void {
  expect(res.errors).toBeUndefined();
  expect(m.f.C.phone, 'C has a phone, so visible and denied differ').not.toBeNull();
  expect(res.data).toEqual({ c: { ...identityOfC(m), phone: expectedValue(m, 'C', 'phone'), nationalId: m.f.C.national_id, birthDate: expectedValue(m, 'C', 'birthDate') } });
}

/** The purpose stands but opens only someone else: the fields beyond name and ward are denied, naming the rule. */
export function expectOtherSubjectRefused(m: Matrix, res: GraphQLResponse, because: RegExp): void {
  expect(res.status).toBe(200);
  expect(res.data).toEqual({ c: { ...identityOfC(m), phone: null, nationalId: null, birthDate: null } });
  expect((res.errors ?? []).map((e) => [String(e.path), e.extensions?.code]).sort()).toEqual([
    ['c,birthDate', 'FORBIDDEN'],
    ['c,nationalId', 'FORBIDDEN'],
    ['c,phone', 'FORBIDDEN'],
  ]);
  for (const error of res.errors!) expect(error.message).toMatch(because);
}
