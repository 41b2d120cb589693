import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { EVERY_CALLER } from '../config.js';
import { buildGatewaySchema, printGatewaySchema } from '../modules/schema.js';
import { manifestSources, readManifestFile, settingFromEnv } from '../server/trusted-documents/manifest.js';
import { printFailure } from './errors.js';
import { checkSchemaChange, operationsOf, type Operation } from './schema-diff-check.js';

const FILE = 'schema.graphql';
const HELP = `Usage: npm run schema:diff -- [--base <file> | --base-ref <git ref>] [--documents <glob or file>]... [--manifest <file>]... [--schema <file>]

Compares the schema the code builds with a base schema (graphql-inspector) and lists the
breaking, dangerous and safe changes. Exits 1 only when a change breaks an operation that runs:
one of the trusted-documents manifests (the gateway's own, src/generated/persisted-documents.json,
and the client apps' of TRUSTED_DOCUMENTS) or of the documents given. A breaking change no
operation uses is listed, and passes.

  --base        the base schema file (default: the committed ${FILE})
  --base-ref    read the base from git: <ref>:${FILE} (git show). No such commit (the first
                commit, a shallow clone) or no ${FILE} in it: "no base: skipped", exit 0
  --documents   a .graphql file or a glob of them (*, **) with operations to check too; may be repeated
  --manifest    check the operations of this manifest instead of the gateway's; may be repeated
  --schema      the new schema from an SDL file instead of the code`;

class UsageError extends Error {}

/** `git show <ref>:schema.graphql`, or why there is none (a missing commit is no error: a first or shallow clone). */
function schemaAtRef(ref: string): { sdl: string } | { missing: string } {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return { missing: `${ref} is not a commit of this clone (first commit or shallow clone)` };
  }
  try {
    return { sdl: execFileSync('git', ['show', `${ref}:${FILE}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }) };
  } catch {
    return { missing: `${ref} has no ${FILE}` };
  }
}

/** The files a pattern names: a file as is, or a glob with `*` (within a folder) and `**` (any depth). */
export function expandGlob(pattern: string): string[] {
  if (!/[*?]/.test(pattern)) {
    if (!statSync(pattern, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--documents ${pattern}: no such file`);
    return [pattern];
  }
  const parts = pattern.split('/');
  const fixed = parts.findIndex((part) => /[*?]/.test(part));
  const root = parts.slice(0, fixed).join('/') || '.';
  const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const body = parts
    .slice(fixed)
    .map((part) => (part === '**' ? '(?:.*/)?' : `${escape(part).replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}/`))
    .join('')
    .replace(/\/$/, '');
  const matcher = new RegExp(`^${body}$`);
  const found: string[] = [];
  const walk = (dir: string, relative: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), rel);
      else if (matcher.test(rel)) found.push(path.join(root, rel));
    }
  };
  if (statSync(root, { throwIfNoEntry: false })?.isDirectory()) walk(root, '');
  if (found.length === 0) throw new UsageError(`--documents ${pattern}: matches no file`);
  return found.sort();
}

const asList = (value: unknown): string[] => (value === undefined ? [] : ([] as string[]).concat(value as string | string[]));

async function main(): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: {
        base: { type: 'string' },
        'base-ref': { type: 'string' },
        documents: { type: 'string', multiple: true },
        manifest: { type: 'string', multiple: true },
        schema: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.base && values['base-ref']) throw new UsageError('give --base or --base-ref, not both');

  // The base first: with none to compare with, nothing else needs to be built.
  let baseSdl: string;
  let baseName: string;
  if (typeof values['base-ref'] === 'string') {
    const found = schemaAtRef(values['base-ref']);
    if ('missing' in found) {
      console.log(`no base: skipped (${found.missing})`);
      return 0;
    }
    ({ sdl: baseSdl } = found);
    baseName = `${values['base-ref']}:${FILE}`;
  } else {
    baseName = typeof values.base === 'string' ? values.base : FILE;
    baseSdl = readFileSync(baseName, 'utf8');
  }

  const operations: Operation[] = [];
  const manifests = asList(values.manifest);
  const sources = manifests.length ? manifests.map((file) => ({ file, app: EVERY_CALLER })) : manifestSources(settingFromEnv());
  for (const source of sources) {
    const origin = path.relative(process.cwd(), source.file) || source.file;
    for (const text of readManifestFile(source).documents.values()) operations.push(...operationsOf(text, origin));
  }
  for (const pattern of asList(values.documents)) {
    for (const file of expandGlob(pattern)) operations.push(...operationsOf(readFileSync(file, 'utf8'), file));
  }

  // Both sides from SDL, so that only what the schema says is compared.
  const base: GraphQLSchema = buildSchema(baseSdl);
  const nextName = typeof values.schema === 'string' ? values.schema : "the code's schema";
  const next = buildSchema(typeof values.schema === 'string' ? readFileSync(values.schema, 'utf8') : printGatewaySchema(await buildGatewaySchema()));

  const report = await checkSchemaChange(base, next, operations);
  console.log(`${baseName} → ${nextName}: ${report.breaking.length} breaking, ${report.dangerous.length} dangerous, ${report.safe.length} safe`);
  for (const [label, changes] of [
    ['breaking', report.breaking],
    ['dangerous', report.dangerous],
    ['safe', report.safe],
  ] as const) {
    for (const change of changes) console.log(`  ${label}: ${change.message}${change.path ? ` (${change.path})` : ''}`);
  }
  for (const { operation, reason } of report.broken) console.error(`broken operation ${operation.name} (${operation.origin}): ${reason}`);
  if (report.broken.length > 0) {
    console.error(`${report.broken.length} of ${report.operations} operations broken by this change: fails`);
    return 1;
  }
  const unused = report.breaking.length ? `; the ${report.breaking.length} breaking change${report.breaking.length === 1 ? '' : 's'} touch${report.breaking.length === 1 ? 'es' : ''} none of them` : '';
  console.log(`${report.operations} operations checked, none broken${unused}: passes`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${HELP}`);
  else printFailure(error);
  process.exitCode = 2;
}
