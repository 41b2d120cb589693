/**
 * `npm run schema:diff` (issue 16, change checks against real operations): a change fails only
 * when it breaks an operation that runs — one of the trusted-documents manifest's, or of a
 * document given. A removed field used by a manifest operation fails naming the operation; a
 * removed field no operation uses is listed as breaking and passes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSchema, isObjectType, parse, print, visit, type GraphQLEnumType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSchemaChange, coordinatesOf, operationsOf, type Operation } from '../src/cli/schema-diff-check.js';
import { readManifest } from '../src/server/trusted-documents/manifest.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SDL = readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8');
const MANIFEST = path.join(ROOT, 'src/generated/persisted-documents.json');
const OPERATIONS: Operation[] = [...readManifest(MANIFEST).values()].flatMap((text) => operationsOf(text, 'src/generated/persisted-documents.json'));
const run = promisify(execFile);

const scratch = mkdtempSync(path.join(tmpdir(), 'schema-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The schema without one field (`Type.field`) of an object type. */
function without(sdl: string, coordinate: string): GraphQLSchema {
  const [typeName, fieldName] = coordinate.split('.');
  let removed = 0;
  const document = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== typeName) return undefined;
      const fields = (node.fields ?? []).filter((f) => f.name.value !== fieldName);
      removed += (node.fields ?? []).length - fields.length;
      return { ...node, fields };
    },
  });
  expect(removed, coordinate).toBe(1);
  return buildSchema(print(document));
}

/** Every object-type field an operation of the list relies on. */
const usedBy = (schema: GraphQLSchema, operations: Operation[]) => new Set(operations.flatMap((op) => [...coordinatesOf(schema, op.document)]));

/** The CLI as `npm run schema:diff` runs it. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/schema-diff.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('schema:diff against the trusted-documents manifest', () => {
  const base = buildSchema(SDL);

  it('reads the operations of the manifest', () => {
    expect(OPERATIONS.length).toBeGreaterThan(5);
    expect(OPERATIONS.map((op) => op.name)).toContain('DatasetSearch');
  });

  it('the committed schema against itself: no change, nothing broken', async () => {
    const report = await checkSchemaChange(base, buildSchema(SDL), OPERATIONS);
    expect({ breaking: report.breaking.length, dangerous: report.dangerous.length, safe: report.safe.length, broken: report.broken }).toEqual({ breaking: 0, dangerous: 0, safe: 0, broken: [] });
    expect(report.operations).toBe(OPERATIONS.length);
  });

  it('a removed field that a manifest operation selects: the operation is broken, named, with the change', async () => {
    const search = OPERATIONS.find((op) => op.name === 'DatasetSearch')!;
    expect(coordinatesOf(base, search.document)).toContain('Dataset.title');
    const report = await checkSchemaChange(base, without(SDL, 'Dataset.title'), OPERATIONS);
    expect(report.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', 'Dataset.title']]);
    const broken = report.broken.map((b) => b.operation.name);
    expect(broken).toContain('DatasetSearch');
    // Exactly the operations that select it.
    expect(broken.sort()).toEqual(OPERATIONS.filter((op) => coordinatesOf(base, op.document).has('Dataset.title')).map((op) => op.name).sort());
    expect(report.broken.find((b) => b.operation.name === 'DatasetSearch')!.reason).toBe("Field 'title' was removed from object type 'Dataset'");
  });

  it('a removed field that no operation uses: listed as breaking, nothing broken', async () => {
    // Found in the schema, not named here: the first object field no manifest operation selects.
    const used = usedBy(base, OPERATIONS);
    const unused = Object.values(base.getTypeMap())
      .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__') && type.name !== 'Query' && Object.keys(type.getFields()).length > 1)
      .flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`))
      .find((coordinate) => !used.has(coordinate))!;
    expect(unused).toBeDefined();
    const report = await checkSchemaChange(base, without(SDL, unused), OPERATIONS);
    expect(report.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', unused]]);
    expect(report.broken).toEqual([]);
  });

  it('an argument or input field an operation gives through a variable counts as used (the client may send it)', async () => {
    const search = OPERATIONS.find((op) => op.name === 'DatasetSearch')!;
    const used = coordinatesOf(base, search.document);
    // DatasetSearch passes its search through `filter: { search: $search }`, and orders by a variable.
    expect(used).toContain('Query.datasets.filter');
    expect(used).toContain('DatasetFilter.search');
    for (const value of (base.getType('DatasetOrder') as GraphQLEnumType).getValues()) expect(used).toContain(`DatasetOrder.${value.name}`);
  });

  it('an operation invalid on the base already is not this change’s doing', async () => {
    const stale = operationsOf('query Stale { noSuchField }', 'stale.graphql');
    const report = await checkSchemaChange(base, without(SDL, 'Dataset.title'), stale);
    expect(report.broken).toEqual([]);
  });
});

describe('the command', () => {
  // A base with a Query field the code does not have: removed by the change.
  const baseFile = path.join(scratch, 'base.graphql');
  writeFileSync(baseFile, SDL.replace(/^type Query \{$/m, 'type Query {\n  retired: String'));

  it('fails when a manifest operation uses the removed field, naming the operation and the change (exit 1)', async () => {
    const text = 'query UsesRetired { retired agencies(first: 1) { totalCount } }';
    const manifest = path.join(scratch, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ [createHash('sha256').update(text).digest('hex')]: text }));
    const result = await cli(['--base', baseFile, '--manifest', manifest]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("1 breaking, 0 dangerous, 0 safe");
    expect(result.stdout).toContain("breaking: Field 'retired' was removed from object type 'Query' (Query.retired)");
    expect(result.stderr).toContain(`broken operation UsesRetired (${path.relative(ROOT, manifest)}): Field 'retired' was removed from object type 'Query'`);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  }, 60_000);

  it('passes when only unused fields are removed: the gateway manifest and a document that does not use it (exit 0)', async () => {
    const document = path.join(scratch, 'ok.graphql');
    writeFileSync(document, 'query Fine { agencies(first: 1) { totalCount } }');
    const result = await cli(['--base', baseFile, '--documents', path.join(scratch, '*.graphql')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("breaking: Field 'retired' was removed from object type 'Query'");
    expect(result.stdout).toMatch(new RegExp(`^${OPERATIONS.length + 1} operations checked, none broken; the 1 breaking change touches none of them: passes$`, 'm'));
    expect(result.stderr).toBe('');
  }, 60_000);

  it('with a git ref that is not a commit (a first commit, a shallow clone): "no base: skipped", exit 0', async () => {
    const result = await cli(['--base-ref', 'no-such-ref-of-schema-diff-test']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe('no base: skipped (no-such-ref-of-schema-diff-test is not a commit of this clone (first commit or shallow clone))');
  }, 60_000);

  it('a document path that names nothing is a usage error, not a pass', async () => {
    const result = await cli(['--documents', path.join(scratch, 'none-*.graphql')]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`--documents ${path.join(scratch, 'none-*.graphql')}: matches no file`);
  }, 60_000);
});
