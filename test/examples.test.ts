/**
 * Every GraphQL example of README.md and docs/frontend.md runs here against the seeded `small`
 * data, with the token and headers its annotation names (an HTML comment right above the block:
 * `<!-- example: role=officer agency=UBND-ST purpose=… case=… expect=FORBIDDEN nullable=a.b -->`),
 * and must answer data with a value for every field it shows, and no error unless it names the
 * one to expect. A ```graphql block or a curl command without an annotation fails the test, so a
 * new example cannot slip past; so does a GraphQL document written inline. The values the text
 * shows (dossier codes, national ids, agencies, global ids) must exist in the seeded data, and
 * the example app (examples/officer-worklist.ts) runs as the docs show it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, visit, type DocumentNode } from 'graphql';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPurpose, isRole, type Role } from '../src/access/roles.js';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { fromGlobalId } from '../src/platform/relay/global-id.js';
import { EXAMPLE_SEED, exampleIdentities } from '../src/seed/examples.js';
import { agencies } from '../src/modules/reference/seed/agencies.js';
import { expectExampleIdentities } from './support/example-identities.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOCS = ['README.md', 'docs/frontend.md'];
const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Reading the examples out of the Markdown
// ---------------------------------------------------------------------------------------------

interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  body: string;
  /** The `<!-- example: … -->` comment above the fence, if any. */
  annotation: string | null;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*$/;
const ANNOTATION = /^\s*<!--\s*example:(.*?)-->\s*$/;

function blocksOf(file: string, text: string): { blocks: Block[]; prose: Array<{ line: number; text: string }> } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const prose: Array<{ line: number; text: string }> = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      prose.push({ line: i + 1, text: lines[i]! });
      continue;
    }
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j]!.trim().startsWith(fence!) && lines[j]!.trim().replace(/[`~]/g, '') === '')) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
      j += 1;
    }
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k -= 1;
    const annotation = k >= 0 ? (ANNOTATION.exec(lines[k]!)?.[1]?.trim() ?? null) : null;
    blocks.push({ file, line: i + 1, lang: lang!.toLowerCase(), body: body.join('\n'), annotation });
    i = j;
  }
  return { blocks, prose };
}

interface Annotation {
  role: Role;
  agency?: string;
  citizen?: string;
  purpose?: string;
  caseReference?: string;
  /** Every error must carry this code, and there must be one. */
  expect?: string;
  /** Fields (dotted paths without list indexes) that may be null wherever they appear. */
  nullable: string[];
  notRunnable?: string;
  curl: boolean;
}

function parseAnnotation(text: string): Annotation {
  const out: Annotation = { role: 'public', nullable: [], curl: false };
  let role: string | undefined;
  for (const [, key, raw] of text.matchAll(/([\w-]+)(?:=("[^"]*"|\S+))?/g)) {
    const value = raw?.replace(/^"|"$/g, '');
    switch (key) {
      case 'curl': out.curl = true; break;
      case 'role': role = value; break;
      case 'agency': out.agency = value; break;
      case 'citizen': out.citizen = value; break;
      case 'purpose': out.purpose = value; break;
      case 'case': out.caseReference = value; break;
      case 'expect': out.expect = value; break;
      case 'nullable': out.nullable = (value ?? '').split(',').filter(Boolean); break;
      case 'not-runnable': out.notRunnable ??= value ?? ''; break;
      case 'reason': out.notRunnable = value ?? ''; break;
      default: throw new Error(`unknown annotation key "${key}" in "${text}"`);
    }
  }
  if (role !== undefined) {
    if (!isRole(role)) throw new Error(`unknown role "${role}" in "${text}"`);
    out.role = role;
  } else if (!out.curl && out.notRunnable === undefined) throw new Error(`annotation "${text}" names no role (role=public for no token)`);
  if (out.purpose !== undefined && !isPurpose(out.purpose)) throw new Error(`unknown purpose "${out.purpose}" in "${text}"`);
  return out;
}

/** Shell words of a command: quotes, `\` escapes and line continuations as sh reads them. */
function shellWords(command: string, vars: Record<string, string>): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < command.length; i += 1) {
    const c = command[i]!;
    if (c === '\\' && command[i + 1] === '\n') { i += 1; continue; }
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      word += command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      for (i += 1; command[i] !== '"'; i += 1) {
        if (command[i] === '\\' && /["\\$`]/.test(command[i + 1]!)) word += command[(i += 1)];
        else if (command[i] === '$') {
          const name = /^\$(\w+)/.exec(command.slice(i))![1]!;
          word += vars[name] ?? '';
          i += name.length;
        } else word += command[i];
      }
    } else if (c === '\\') word += command[(i += 1)];
    else word += c;
  }
  if (inWord) words.push(word);
  return words;
}

/** `--role officer --agency X` → the annotation fields they set. */
function tokenArgs(args: string): { role: Exclude<Role, 'public'>; agency?: string; citizen?: string } {
  const words = args.trim().split(/\s+/);
  const value = (flag: string) => {
    const at = words.indexOf(flag);
    return at >= 0 ? words[at + 1] : undefined;
  };
  const role = value('--role');
  if (!isRole(role) || role === 'public') throw new Error(`npm run token without a valid --role: ${args}`);
  return { role, agency: value('--agency'), citizen: value('--citizen') };
}

interface Example {
  name: string;
  annotation: Annotation;
  query: string;
  variables?: Record<string, unknown>;
  /** Headers the curl command sends itself (beside the token). */
  headers: Record<string, string>;
  /** `curl -G`: the parameters go in the URL, and no content type is sent (as curl sends none). */
  method?: 'GET';
}

const TOKEN_LINE = /^(\w+)=\$\(npm run -s token -- ([^)]*)\)\s*$/m;

/** The curl commands of a shell block posting to /graphql, with the token the block mints. */
function curlExamples(block: Block, annotation: Annotation): Example[] {
  let principal: Pick<Annotation, 'role' | 'agency' | 'citizen'> = { role: annotation.role, agency: annotation.agency, citizen: annotation.citizen };
  const tokenLine = TOKEN_LINE.exec(block.body);
  const vars: Record<string, string> = {};
  if (tokenLine) {
    principal = tokenArgs(tokenLine[2]!);
    vars[tokenLine[1]!] = '<token>';
  }
  const commands = block.body.replace(/\\\n/g, ' ').split('\n').filter((l) => /^\s*curl\s/.test(l) && l.includes('/graphql'));
  return commands.map((command, index) => {
    const words = shellWords(command, vars);
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    let get = false;
    const params = new URLSearchParams();
    for (let i = 0; i < words.length; i += 1) {
      if (words[i] === '-H') {
        const [name, ...rest] = words[(i += 1)]!.split(':');
        headers[name!.trim().toLowerCase()] = rest.join(':').trim();
      } else if (words[i] === '-d' || words[i] === '--data') payload = words[(i += 1)];
      else if (words[i] === '-G' || words[i] === '--get') get = true;
      else if (words[i] === '--data-urlencode') {
        const param = words[(i += 1)]!;
        const at = param.indexOf('=');
        if (at <= 0) throw new Error(`${block.file}:${block.line}: --data-urlencode takes name=value here`);
        params.append(param.slice(0, at), param.slice(at + 1));
      }
    }
    let body: { query: string; variables?: Record<string, unknown> };
    if (get) {
      if (payload !== undefined || !params.has('query')) throw new Error(`${block.file}:${block.line}: curl -G needs --data-urlencode 'query=…' and no -d`);
      const variables = params.get('variables');
      body = { query: params.get('query')!, variables: variables === null ? undefined : (JSON.parse(variables) as Record<string, unknown>) };
    } else {
      if (payload === undefined) throw new Error(`${block.file}:${block.line}: curl without -d`);
      body = JSON.parse(payload) as { query: string; variables?: Record<string, unknown> };
    }
    const purpose = headers['x-purpose'];
    const caseReference = headers['x-case-reference'];
    if (headers.authorization && !tokenLine) throw new Error(`${block.file}:${block.line}: curl sends a token the block does not mint`);
    delete headers.authorization;
    delete headers['x-purpose'];
    delete headers['x-case-reference'];
    return {
      name: `${block.file}:${block.line}${commands.length > 1 ? ` #${index + 1}` : ''} (curl)`,
      annotation: { ...annotation, ...principal, purpose, caseReference },
      query: body.query,
      variables: body.variables,
      headers,
      ...(get ? { method: 'GET' as const } : {}),
    };
  });
}

const isShell = (lang: string) => ['sh', 'bash', 'shell', 'console', ''].includes(lang);
const postsGraphQL = (block: Block) => isShell(block.lang) && /\bcurl\s/.test(block.body) && block.body.includes('/graphql');

const files = DOCS.map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
const parsed = files.map(({ file, text }) => ({ file, text, ...blocksOf(file, text) }));
const allBlocks = parsed.flatMap((p) => p.blocks);
const needsAnnotation = allBlocks.filter((b) => b.lang === 'graphql' || b.lang === 'gql' || postsGraphQL(b));

const examples: Example[] = [];
/** Blocks set aside (a fragment, a schema snippet), each with the reason its annotation gives. */
const notRunnable: Array<{ where: string; reason: string }> = [];
for (const block of needsAnnotation) {
  if (block.annotation === null) continue;
  const annotation = parseAnnotation(block.annotation);
  if (annotation.notRunnable !== undefined) {
    notRunnable.push({ where: `${block.file}:${block.line}`, reason: annotation.notRunnable });
    continue;
  }
  if (postsGraphQL(block)) examples.push(...curlExamples(block, annotation));
  else examples.push({ name: `${block.file}:${block.line}`, annotation, query: block.body, headers: {} });
}

// ---------------------------------------------------------------------------------------------
// What an answer must hold
// ---------------------------------------------------------------------------------------------

const stripIndexes = (p: ReadonlyArray<string | number>) => p.filter((s) => typeof s === 'string').join('.');

/**
 * Fields that answered only null, and lists only empty, wherever they appear in the data (list
 * indexes ignored): an example must show a value for everything it asks for.
 */
function emptyFields(data: unknown, allowed: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  const filled = new Set<string>();
  const walk = (value: unknown, at: string) => {
    if (at) seen.add(at);
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length > 0 && at) filled.add(at);
      for (const item of value) walk(item, at);
      return;
    }
    if (at) filled.add(at);
    if (typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, at ? `${at}.${key}` : key);
  };
  walk(data, '');
  return [...seen].filter((p) => !filled.has(p) && !allowed.has(p));
}

/** Depth of the deepest selection set: `{ a }` is 1, `{ a { b } }` 2. */
function selectionDepth(document: DocumentNode): number {
  let depth = 0;
  let max = 0;
  visit(document, {
    SelectionSet: { enter: () => void (max = Math.max(max, (depth += 1))), leave: () => void (depth -= 1) },
  });
  return max;
}

function isGraphQLDocument(text: string): boolean {
  if (!/^\s*(\{|query\b|mutation\b|subscription\b|fragment\b)/.test(text)) return false;
  try {
    return selectionDepth(parse(text)) >= 2;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

let gw: TestGateway;
const config = loadConfig({});

beforeAll(async () => {
  gw = await startTestGateway('small');
});
afterAll(async () => gw?.close());

async function headersFor(a: Pick<Annotation, 'role' | 'agency' | 'citizen' | 'purpose' | 'caseReference'>): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  if (a.role !== 'public') {
    const token = await mintDevToken(config.auth, { role: a.role, agency: a.agency, citizenId: a.citizen, clientApp: 'docs-examples' });
    headers.authorization = `Bearer ${token}`;
  }
  if (a.purpose) headers['x-purpose'] = a.purpose;
  if (a.caseReference) headers['x-case-reference'] = a.caseReference;
  return headers;
}

async function post(example: Example): Promise<GraphQLResponse> {
  const headers = { ...example.headers, ...(await headersFor(example.annotation)) };
  const response =
    example.method === 'GET'
      ? await fetch(`${gw.url}?${new URLSearchParams({ query: example.query, ...(example.variables ? { variables: JSON.stringify(example.variables) } : {}) })}`, { headers })
      : await fetch(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: example.query, variables: example.variables }),
        });
  return { status: response.status, ...((await response.json()) as object) };
}

async function rows<T>(source: 'services' | 'population', query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(gw.databases.connections.sources[source].root)).rows;
}

describe('the documentation examples', () => {
  it('annotates every GraphQL block and curl command, and writes no GraphQL document inline', () => {
    expect(needsAnnotation.length).toBeGreaterThan(10);
    expect(needsAnnotation.filter((b) => b.annotation === null).map((b) => `${b.file}:${b.line}`)).toEqual([]);
    const inline = parsed.flatMap(({ file, prose }) =>
      prose.flatMap(({ line, text }) => [...text.matchAll(/`([^`]+)`/g)].filter((m) => isGraphQLDocument(m[1]!)).map((m) => `${file}:${line}: ${m[1]}`)),
    );
    expect(inline).toEqual([]);
    // A block that cannot run (`<!-- example: not-runnable reason="…" -->`) says why.
    expect(notRunnable.filter((n) => n.reason.trim().length < 10).map((n) => n.where)).toEqual([]);
  });

  for (const example of examples) {
    it(`runs ${example.name} as ${example.annotation.role}${example.annotation.agency ? ` of ${example.annotation.agency}` : ''}`, async () => {
      const answer = await post(example);
      expect(answer.status, JSON.stringify(answer.errors)).toBe(200);
      expect(answer.data).toBeTruthy();
      const allowed = new Set(example.annotation.nullable);
      if (example.annotation.expect) {
        expect(answer.errors?.length ?? 0).toBeGreaterThan(0);
        expect(answer.errors!.map((e) => e.extensions?.code)).toEqual(answer.errors!.map(() => example.annotation.expect));
        for (const error of answer.errors!) if (error.path) allowed.add(stripIndexes(error.path));
      } else {
        expect(answer.errors).toBeUndefined();
      }
      expect(emptyFields(answer.data, allowed)).toEqual([]);
    });
  }

  it('shows only values that exist in the seeded data', async () => {
    const texts = [...files.map((f) => f.text), ...readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(ROOT, 'examples', f), 'utf8'))];
    const all = texts.join('\n');
    const codes = [...new Set(all.match(/H17\.\d{2}-\d{6}-\d{7}/g) ?? [])];
    const nationalIds = [...new Set(all.match(/(?<![\d*])\d{12}(?![\d*])/g) ?? [])];
    const agencyCodes = [...new Set([...all.matchAll(/--agency\s+([A-Z][A-Z-]+)/g)].map((m) => m[1]!))];
    const globalIds = [...new Set(all.match(/[A-Za-z0-9_-]{12,}/g) ?? [])].filter((s) => fromGlobalId(s) !== undefined);
    expect(codes.length).toBeGreaterThan(0);
    expect(nationalIds.length).toBeGreaterThan(0);
    expect(agencyCodes.length).toBeGreaterThan(0);
    expect(globalIds.length).toBeGreaterThan(0);

    const foundCodes = await rows('services', sql<{ code: string }>`select code from services.dossiers where code = any(${codes}::text[])`);
    expect(codes.filter((c) => !foundCodes.some((r) => r.code === c))).toEqual([]);
    const foundIds = await rows('population', sql<{ national_id: string }>`select national_id from population.citizens where national_id = any(${nationalIds}::text[])`);
    expect(nationalIds.filter((n) => !foundIds.some((r) => r.national_id === n))).toEqual([]);

    // Every agency a command names has open dossiers: its officer's worklist is not empty.
    const byCode = new Map(agencies().map((a) => [a.code, a.id]));
    expect(agencyCodes.filter((c) => !byCode.has(c))).toEqual([]);
    const open = await rows('services', sql<{ agency_id: number }>`
      select distinct agency_id from services.dossiers where status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED')`);
    const withOpen = new Set(open.map((r) => Number(r.agency_id)));
    expect(agencyCodes.filter((c) => !withOpen.has(byCode.get(c)!))).toEqual([]);

    const admin = await headersFor({ role: 'admin' });
    const nodes = await gw.query<{ nodes: Array<{ id: string } | null> }>('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: globalIds }, admin);
    expect(nodes.errors).toBeUndefined();
    expect(nodes.data!.nodes.map((n) => n?.id ?? null)).toEqual(globalIds);
  });

  it('uses the example identities of the default seed, and the README lists them', async () => {
    expect(config.seedValue).toBe(EXAMPLE_SEED);
    const ids = exampleIdentities();
    await expectExampleIdentities(gw.databases.connections, ids);
    const readme = files.find((f) => f.file === 'README.md')!.text;
    const section = readme.slice(readme.indexOf('### Example identities'), readme.indexOf('## Using the API'));
    for (const value of [
      ids.officerAgency.code, ids.officerAgency.name, ids.citizen.nationalId, ids.citizen.fullName, ids.citizen.ward.name, ids.citizen.ward.globalId,
      ids.caseReference, ids.caseDossierId, ...ids.completedDossiers, ids.district.code, ids.district.name, ids.district.globalId,
    ]) {
      expect(section, value).toContain(value);
    }
    // The examples that need a token use these identities.
    const officers = examples.filter((e) => e.annotation.role === 'officer');
    const citizens = examples.filter((e) => e.annotation.role === 'citizen');
    expect(officers.length).toBeGreaterThan(0);
    expect(citizens.length).toBeGreaterThan(0);
    expect(officers.map((e) => e.annotation.agency)).toEqual(officers.map(() => ids.officerAgency.code));
    expect(citizens.map((e) => e.annotation.citizen)).toEqual(citizens.map(() => ids.citizen.nationalId));
    const cases = examples.map((e) => e.annotation.caseReference).filter(Boolean);
    expect(cases.length).toBeGreaterThan(0);
    expect(cases).toEqual(cases.map(() => ids.caseReference));
  });

  it('runs the example app as docs/frontend.md shows it', async () => {
    const commands = allBlocks
      .filter((b) => isShell(b.lang))
      .flatMap((b) => b.body.replace(/\\\n/g, ' ').split('\n'))
      .filter((line) => line.includes('npm run example:worklist'));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const env: Record<string, string> = { ...(process.env as Record<string, string>) };
      delete env.TOKEN;
      const token = /^\s*TOKEN=\$\(npm run -s token -- ([^)]*)\)/.exec(command);
      if (token) {
        const who = tokenArgs(token[1]!);
        env.TOKEN = await mintDevToken(config.auth, { role: who.role, agency: who.agency, citizenId: who.citizen });
      }
      const args = shellWords(command.slice(command.indexOf('npm run example:worklist') + 'npm run example:worklist'.length).replace(/^\s*--/, ''), {});
      const url = args.indexOf('--url');
      if (url >= 0) args.splice(url, 2);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/officer-worklist.ts', '--url', gw.url, ...args], { cwd: ROOT, env });
      // "Worklist of <agency>: N of M … dossiers": at least one dossier listed.
      expect(stdout, command).toMatch(/^Worklist of .+: [1-9]\d* of \d+ /);
    }
  });
});
