/**
 * The Relay compiler (relay-compiler 21, the binary its npm package ships) over a Relay project
 * of fragments (test/fixtures/relay-fragments, its sources generated from schema.graphql by
 * generate.ts into the copy compiled): for every list (connection) of schema.graphql a
 * refetchable fragment with forward and backward pagination, `orderBy` (where the list has one)
 * and `filter` as fragment arguments with the schema's defaults, and a `node` query spreading
 * them. It must compile against the committed schema.graphql, as a Relay app's build would, and
 * write the app's persisted queries (sha256 → text, what the app registers with the gateway).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  buildSchema,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type ObjectValueNode,
} from 'graphql';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { toGlobalId } from '../src/platform/relay/global-id.js';
import { startGateway } from '../src/server/gateway.js';
import { relayFragmentSources } from './fixtures/relay-fragments/generate.js';
import { seededDatabases } from './support/databases.js';
import { startIdentityProvider } from './support/identity-provider.js';
import { nodeSamples } from './support/samples/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURE = 'test/fixtures/relay-fragments';
const SCHEMA = readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8');
/** The platform's binary, as the package's own `relay-compiler` command finds it. */
const RELAY = createRequire(import.meta.url)('relay-compiler') as string | null;
const run = promisify(execFile);
/** What each fragment selects of a Node type's items: what identifies one (the sources' samples). */
const IDENTIFYING = new Map([...(await nodeSamples())].map(([type, s]) => [type, s.identifying]));
/** The project's sources, generated from the committed schema: file → text. */
const SOURCES = relayFragmentSources(SCHEMA, (type) => IDENTIFYING.get(type));

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

interface Compilation {
  ok: boolean;
  output: string;
  /** The project's artifact directory (`__generated__`). */
  generated: string;
  /** The persisted-queries file: the app's manifest. */
  persistedFile: string;
  /** The persisted queries the compiler wrote: sha256 → text. */
  persisted: () => Record<string, string>;
}

/**
 * Compiles a copy of the fixture project against `schema`, laid out as in the repository
 * (relay.config.json names ../../../schema.graphql). `extra` adds source files to the copy.
 */
async function compile(schema: string, extra: Record<string, string> = {}): Promise<Compilation> {
  const dir = mkdtempSync(path.join(tmpdir(), 'relay-compiler-'));
  scratch.push(dir);
  const project = path.join(dir, FIXTURE);
  cpSync(path.join(ROOT, FIXTURE), project, { recursive: true });
  writeFileSync(path.join(dir, 'schema.graphql'), schema);
  mkdirSync(path.join(project, 'src'), { recursive: true });
  for (const [file, text] of Object.entries({ ...SOURCES, ...extra })) writeFileSync(path.join(project, 'src', file), text);
  // What a Relay app's build starts from: the artifact directory and an empty persisted-queries file.
  const generated = path.join(project, '__generated__');
  mkdirSync(generated, { recursive: true });
  writeFileSync(path.join(project, 'persisted-queries.json'), '{}\n');
  const persistedFile = path.join(project, 'persisted-queries.json');
  const persisted = () => JSON.parse(readFileSync(persistedFile, 'utf8')) as Record<string, string>;
  try {
    const { stdout, stderr } = await run(RELAY!, ['--noWatchman', 'relay.config.json'], { cwd: project, env: { ...process.env, NO_COLOR: '1' } });
    return { ok: true, output: `${stdout}${stderr}`, generated, persistedFile, persisted };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    // eslint-disable-next-line no-control-regex -- the compiler colours its output all the same
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? failure.message}`.replace(/\u001b\[[0-9;]*m/g, ''), generated, persistedFile, persisted };
  }
}

/** The `graphql` tagged templates of the project's sources, parsed. */
function fixtureDocuments(): Array<{ file: string; definitions: ReturnType<typeof parse>['definitions'] }> {
  return Object.entries(SOURCES).flatMap(([file, text]) => [...text.matchAll(/graphql`([^`]*)`/g)].map((m) => ({ file, definitions: parse(m[1]!).definitions })));
}

const fragments = fixtureDocuments()
  .flatMap((d) => d.definitions)
  .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);

/** The connection field a fragment pages through: the field carrying `@connection`. */
function connectionField(fragment: FragmentDefinitionNode): FieldNode | undefined {
  return fragment.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && (s.directives ?? []).some((d) => d.name.value === 'connection'));
}

const directive = (fragment: FragmentDefinitionNode, name: string): DirectiveNode | undefined => fragment.directives?.find((d) => d.name.value === name);

/** `@argumentDefinitions(orderBy: { type: "X", defaultValue: Y })` → { orderBy: { type: 'X', defaultValue: 'Y' } }. */
function argumentDefinitions(fragment: FragmentDefinitionNode): Record<string, { type?: string; defaultValue?: unknown }> {
  const definitions = directive(fragment, 'argumentDefinitions')?.arguments ?? [];
  return Object.fromEntries(
    definitions.map((argument) => [
      argument.name.value,
      Object.fromEntries((argument.value as ObjectValueNode).fields.map((f) => [f.name.value, f.name.value === 'type' ? valueFromASTUntyped(f.value) : print(f.value)])),
    ]),
  );
}

/** Every list of the schema: `Type.field` → the field. */
function listsOf(sdl: string): Map<string, GraphQLField<unknown, unknown>> {
  const schema = buildSchema(sdl);
  const lists = new Map<string, GraphQLField<unknown, unknown>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name.endsWith('Connection')) lists.set(`${type.name}.${field.name}`, field);
  }
  return lists;
}

describe('the Relay compiler over the fragments of every list', () => {
  it('has a refetchable fragment with forward and backward pagination for every list of schema.graphql', () => {
    const lists = listsOf(SCHEMA);
    expect(lists.size).toBeGreaterThan(20);
    // One fragment per list, named after it, and nothing else: the generator's output is what is compiled.
    expect(new Set(fragments.map((f) => f.name.value)).size).toBe(fragments.length);
    for (const fragment of fragments) expect(fragment.name.value).toBe(`${fragment.typeCondition.name.value}Lists_${connectionField(fragment)?.name.value}`);
    const covered = fragments.map((f) => `${f.typeCondition.name.value}.${connectionField(f)?.name.value}`);
    expect([...covered].sort()).toEqual([...lists.keys()].sort());
    for (const fragment of fragments) {
      const field = connectionField(fragment)!;
      const name = fragment.name.value;
      expect(directive(fragment, 'refetchable'), name).toBeDefined();
      const args = Object.fromEntries((field.arguments ?? []).map((a) => [a.name.value, print(a.value)]));
      expect(args, name).toMatchObject({ first: '$first', after: '$after', last: '$last', before: '$before' });
      const schemaField = lists.get(`${fragment.typeCondition.name.value}.${field.name.value}`)!;
      for (const argument of schemaField.args.filter((a) => a.name === 'orderBy' || a.name === 'filter')) expect(args[argument.name], `${name}: ${argument.name}`).toBe(`$${argument.name}`);
    }
  });

  it("declares `orderBy` as the schema does: the same (nullable) type and default, which Relay accepts", () => {
    const lists = listsOf(SCHEMA);
    const withOrder = fragments.filter((f) => connectionField(f)!.arguments?.some((a) => a.name.value === 'orderBy'));
    expect(withOrder.length).toBeGreaterThan(10);
    for (const fragment of withOrder) {
      const field = connectionField(fragment)!;
      const orderBy = lists.get(`${fragment.typeCondition.name.value}.${field.name.value}`)!.args.find((a) => a.name === 'orderBy')!;
      expect(argumentDefinitions(fragment).orderBy, fragment.name.value).toEqual({ type: String(orderBy.type), defaultValue: String(orderBy.defaultValue) });
      // Relay refuses a non-null fragment argument with a default ("Non-nullable variable … has a default value").
      expect(String(orderBy.type).endsWith('!'), `${fragment.typeCondition.name.value}.${field.name.value}(orderBy: ${String(orderBy.type)})`).toBe(false);
    }
  });

  it('compiles against the committed schema.graphql, with refetch queries, pagination metadata and persisted queries', async () => {
    expect(RELAY, 'relay-compiler ships no binary for this platform').not.toBeNull();
    const compiled = await compile(SCHEMA);
    expect(compiled.output).toContain('Compilation completed');
    expect(compiled.ok, compiled.output).toBe(true);

    const artifacts = new Set(readdirSync(compiled.generated));
    for (const fragment of fragments) {
      const name = fragment.name.value;
      expect(artifacts, name).toContain(`${name}.graphql.ts`);
      const queryName = valueFromASTUntyped(directive(fragment, 'refetchable')!.arguments!.find((a) => a.name.value === 'queryName')!.value) as string;
      expect(artifacts, queryName).toContain(`${queryName}.graphql.ts`);
      // usePaginationFragment's metadata: both directions.
      const reader = readFileSync(path.join(compiled.generated, `${name}.graphql.ts`), 'utf8');
      expect(reader, name).toMatch(/"forward": \{\s*"count": "first",\s*"cursor": "after"\s*\}/);
      expect(reader, name).toMatch(/"backward": \{\s*"count": "last",\s*"cursor": "before"\s*\}/);
    }
    expect(artifacts).toContain('NodeQuery.graphql.ts');

    // The persisted queries: sha256 of each text, as the gateway's manifests are keyed; one per
    // operation (the node query, the root lists' query, each fragment's refetch query).
    const persisted = compiled.persisted();
    const operations = Object.values(persisted).map((text) => /^query (\w+)/.exec(text)?.[1]);
    expect(operations.length).toBe(fragments.length + 2);
    expect(operations).toEqual(expect.arrayContaining(['NodeQuery', 'NodeListsQuery', 'AgencyListsDatasetsPaginationQuery', 'QueryListsDatasetsPaginationQuery']));
    for (const [hash, text] of Object.entries(persisted)) expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
    // The refetch query of a fragment on a Node type goes through node(id:); the default ordering comes along.
    const agencyDatasets = Object.values(persisted).find((text) => text.startsWith('query AgencyListsDatasetsPaginationQuery('))!;
    expect(agencyDatasets).toContain('node(id: $id)');
    expect(agencyDatasets).toMatch(/\$orderBy: DatasetOrder = TITLE\b/);
    // An artifact names its operation by the persisted id, not by text.
    const nodeQuery = readFileSync(path.join(compiled.generated, 'NodeQuery.graphql.ts'), 'utf8');
    const nodeId = Object.keys(persisted).find((hash) => persisted[hash]!.startsWith('query NodeQuery('))!;
    expect(nodeQuery).toContain(`"id": "${nodeId}"`);
    expect(nodeQuery).not.toContain('"text": "query');
  });

  it('is the project docs/frontend.md shows: its relay.config.json and its datasets fragment', () => {
    const docs = readFileSync(path.join(ROOT, 'docs/frontend.md'), 'utf8');
    const config = JSON.parse(readFileSync(path.join(ROOT, FIXTURE, 'relay.config.json'), 'utf8')) as Record<string, unknown>;
    const shown = [...docs.matchAll(/```json\n([^`]*)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>).find((json) => 'persistConfig' in json);
    // The app keeps schema.graphql beside its config; the fixture reads the repository's.
    expect(shown).toEqual({ ...config, schema: './schema.graphql' });
    const fragment = fragments.find((f) => f.name.value === 'QueryLists_datasets')!;
    const blocks = [...docs.matchAll(/```graphql\n([^`]*)```/g)].map((m) => m[1]!);
    expect(blocks.map((b) => print(parse(b)))).toContain(print({ kind: Kind.DOCUMENT, definitions: [fragment] }));
  });

  it('fails, with Relay’s message, on a fragment argument that is non-null with a default (the old `orderBy: X! = …`)', async () => {
    // The schema as it was: every `orderBy` non-null with a default.
    const old = SCHEMA.replace(/(\borderBy: )(\w+)( = )/g, '$1$2!$3');
    expect(old).toMatch(/orderBy: DatasetOrder! = TITLE/);
    const mirrored = `declare function graphql(strings: TemplateStringsArray): unknown;

export const datasets = graphql\`
  fragment OldOrder_datasets on Query
  @refetchable(queryName: "OldOrderDatasetsPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 20 }, after: { type: "String" }, orderBy: { type: "DatasetOrder!", defaultValue: TITLE }) {
    datasets(first: $first, after: $after, orderBy: $orderBy) @connection(key: "OldOrder_datasets") {
      edges { node { id } }
    }
  }
\`;
`;
    const compiled = await compile(old, { 'OldOrder.ts': mirrored });
    expect(compiled.ok).toBe(false);
    expect(compiled.output).toContain("Non-nullable variable 'orderBy' has a default value.");
    expect(compiled.output).toContain('OldOrder.ts');
    expect(existsSync(path.join(compiled.generated, 'OldOrder_datasets.graphql.ts'))).toBe(false);
  });

  it('runs in production: the persisted queries as the app’s manifest, sent by id as docs/frontend.md’s network layer does', async () => {
    const compiled = await compile(SCHEMA);
    expect(compiled.ok, compiled.output).toBe(true);
    /** What Relay hands the network layer (RequestParameters): the artifact's `params`. */
    const params = (name: string) => {
      const artifact = readFileSync(path.join(compiled.generated, `${name}.graphql.ts`), 'utf8');
      return { id: /"id": "([0-9a-f]{64})"/.exec(artifact)![1]!, name: /"name": "(\w+)",\s*"operationKind"/.exec(artifact)![1]! };
    };

    // An identity provider (its key set on a loopback port) and a production gateway with the
    // app's manifest next to its own.
    const idp = await startIdentityProvider({ kid: 'relay-test-key' });
    const databases = await seededDatabases();
    const gateway = await startGateway(
      loadConfig({
        ...databases.env,
        NODE_ENV: 'production',
        ...idp.env,
        CURSOR_SECRET: 'relay-compiler-test-cursor-secret-0123456789',
        TRUSTED_DOCUMENTS: `relay-fixture=${compiled.persistedFile}`,
      }),
      { port: 0, connections: databases.connections },
    );
    try {
      const accessToken = await idp.token({ sub: 'relay-user', role: 'analyst', azp: 'relay-fixture' });
      // The network layer of docs/frontend.md.
      const fetchQuery = async (request: { id: string; name: string }, variables: Record<string, unknown>, token: string | null = accessToken) => {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ operationName: request.name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: request.id } } }),
        });
        return (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      };
      type Page = { totalCount: number; edges: Array<{ cursor: string; node: { __typename: string; id: string; slug: string; title: string } }>; pageInfo: { startCursor: string; endCursor: string; hasNextPage: boolean; hasPreviousPage: boolean } };

      // A refetch of the root list (its default page and ordering), then a page backward from its end.
      const list = params('QueryListsDatasetsPaginationQuery');
      const first = await fetchQuery(list, { first: 5 });
      expect(first.errors).toBeUndefined();
      const page = (first.data as { datasets: Page }).datasets;
      expect(page.edges).toHaveLength(5);
      expect(page.edges.every((e) => e.node.__typename === 'Dataset')).toBe(true);
      expect(page.pageInfo.hasNextPage).toBe(true);
      // loadPrevious: Relay sends the backward pair and nulls the forward one (the fragment's first defaults to 20).
      const back = await fetchQuery(list, { last: 2, before: page.pageInfo.endCursor, first: null, after: null });
      expect(back.errors).toBeUndefined();
      expect((back.data as { datasets: Page }).datasets.edges.map((e) => e.node.id)).toEqual(page.edges.slice(2, 4).map((e) => e.node.id));
      // orderBy as a refetch variable, and null for the default.
      const byDownloads = await fetchQuery(list, { first: 5, orderBy: 'DOWNLOADS' });
      expect(byDownloads.errors).toBeUndefined();
      expect((await fetchQuery(list, { first: 5, orderBy: null })).data).toEqual(first.data);

      // A fragment on an object: refetched through node(id:).
      const { rows } = await sql<{ publisher_id: number; n: number }>`
        select publisher_id, count(*)::int as n from opendata.datasets group by 1 order by 2 desc, 1 limit 1`.execute(databases.connections.sources.opendata.root);
      const agencyDatasets = await fetchQuery(params('AgencyListsDatasetsPaginationQuery'), { id: toGlobalId('Agency', rows[0]!.publisher_id), first: 3 });
      expect(agencyDatasets.errors).toBeUndefined();
      const node = (agencyDatasets.data as { node: { __typename: string; datasets: Page } }).node;
      expect(node.__typename).toBe('Agency');
      expect(node.datasets.totalCount).toBe(rows[0]!.n);
      expect(node.datasets.edges).toHaveLength(3);

      // The app's documents run for the app's tokens only.
      const anonymous = await fetchQuery(list, { first: 5 }, null);
      expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    } finally {
      await gateway.close();
      await databases.close();
      await idp.close();
    }
  });
});
