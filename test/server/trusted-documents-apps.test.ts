/**
 * Trusted documents from every client app (issue 18): a production-mode gateway (tokens from an
 * identity provider: a JWKS on a loopback port) loads, next to its own manifest, the persisted
 * queries a real Relay compiler wrote for the officers' case desk (client app "case-desk") and the
 * manifest @apollo/generate-persisted-query-manifest wrote for the one-stop desk ("one-stop-desk"),
 * both generated here from the .graphql documents of test/fixtures/relay-app and
 * test/fixtures/apollo-app. Each app's documents run for that app's tokens only; the access log
 * records the app and the document. Manifests that do not check out stop the start, in one line.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { parse } from 'graphql';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../src/auth/tokens.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DossierStatusDocument } from '../../src/generated/graphql.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { ManifestError, reload, sha256Hex } from '../../src/server/trusted-documents/index.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../support/access-log-key.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The platform's relay-compiler binary, as the package's own command finds it. */
const RELAY = createRequire(import.meta.url)('relay-compiler') as string | null;
const APOLLO_CLI = path.join(ROOT, 'node_modules/@apollo/generate-persisted-query-manifest/cli.js');
const OWN = JSON.parse(readFileSync(path.join(ROOT, 'src/generated/persisted-documents.json'), 'utf8')) as Record<string, string>;
const DOSSIER_STATUS = (DossierStatusDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;

let folder: string;
let idp: IdentityProvider;
let databases: SeededDatabases;
let production: RunningGateway;
let productionEnv: Record<string, string>;
/** The Relay compiler's persisted queries: md5 id → text. */
let relay: Record<string, string>;
let relayFile: string;
/** The Apollo manifest's operations. */
let apollo: { format: string; version: number; operations: Array<{ id: string; name: string; type: string; body: string }> };
let apolloFile: string;
/** A manifest every caller may run (`*=`). */
let sharedFile: string;
const SHARED = 'query SharedDossierStatus($code: String!) { dossierStatus(code: $code) { code status } }';

/** The officer's agency: the one with most dossiers of citizens, so that the worklist shows phones. */
let agency: string;
let agencyId: number;

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}, url = production.url): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, ...((await response.json()) as object) };
}

const bearer = async (claims: Record<string, unknown>, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${await idp.token(claims)}`, ...extra });
const officer = (claims: Record<string, unknown> = { azp: 'case-desk' }, extra: Record<string, string> = {}) =>
  bearer({ sub: 'officer-relay', role: 'officer', agency, ...claims }, { 'x-purpose': 'CITIZEN_REQUEST', ...extra });
const desk = (claims: Record<string, unknown> = { azp: 'one-stop-desk' }) => officer({ sub: 'officer-apollo', ...claims });

const codes = (answer: Answer) => answer.errors?.map((e) => e.extensions?.code);
const relayId = (operation: string) => Object.keys(relay).find((id) => relay[id]!.startsWith(`query ${operation}(`))!;
const apolloOperation = (name: string) => apollo.operations.find((o) => o.name === name)!;

/**
 * A Relay app as its build makes it: each .graphql document of the fixture becomes a module with
 * one graphql`` tag per definition (Relay names operations and fragments after their module),
 * and the compiler writes the persisted queries (`persistConfig`, md5 ids by default).
 */
async function compileRelayApp(): Promise<string> {
  const project = path.join(folder, 'relay-app');
  const src = path.join(project, 'src');
  const fixture = path.join(ROOT, 'test/fixtures/relay-app');
  cpSync(fixture, src, { recursive: true, filter: (file) => !file.endsWith('.graphql') });
  for (const name of readdirSync(fixture).filter((file) => file.endsWith('.graphql'))) {
    const text = readFileSync(path.join(fixture, name), 'utf8');
    const tags = parse(text).definitions.map((definition, n) => `export const definition${n} = graphql\`\n${text.slice(definition.loc!.start, definition.loc!.end)}\n\`;`);
    writeFileSync(path.join(src, name.replace(/\.graphql$/, '.ts')), `import { graphql } from 'relay-runtime';\n\n${tags.join('\n\n')}\n`);
  }
  const file = path.join(project, 'persisted-queries.json');
  // The compiler adds to the file, which must exist.
  writeFileSync(file, '{}');
  writeFileSync(
    path.join(project, 'relay.config.json'),
    JSON.stringify({ src: './src', schema: path.join(ROOT, 'schema.graphql'), language: 'typescript', persistConfig: { file: './persisted-queries.json' } }),
  );
  expect(RELAY, 'relay-compiler has no binary for this platform').toBeTruthy();
  await run(RELAY!, [], { cwd: project });
  return file;
}

/** An Apollo Client app's manifest, made by its CLI from the fixture's .graphql documents. */
async function generateApolloManifest(): Promise<string> {
  const project = path.join(folder, 'apollo-app');
  cpSync(path.join(ROOT, 'test/fixtures/apollo-app'), project, { recursive: true });
  await run(process.execPath, [APOLLO_CLI], { cwd: project });
  return path.join(project, 'persisted-query-manifest.json');
}

async function rows<T>(source: 'services' | 'reference' | 'ioc' | 'audit' | 'population', query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(databases.connections.sources[source].root)).rows;
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'trusted-documents-apps-'));
  relayFile = await compileRelayApp();
  relay = JSON.parse(readFileSync(relayFile, 'utf8')) as Record<string, string>;
  apolloFile = await generateApolloManifest();
  apollo = JSON.parse(readFileSync(apolloFile, 'utf8')) as typeof apollo;
  sharedFile = path.join(folder, 'shared.json');
  writeFileSync(sharedFile, JSON.stringify({ [sha256Hex(SHARED)]: SHARED }));

  idp = await startIdentityProvider({ kid: 'apps-test-key' });

  databases = await seededDatabases();
  const [busiest] = await rows(
    'services',
    sql<{ agency_id: number }>`select agency_id from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`,
  );
  agencyId = busiest!.agency_id;
  agency = (await rows('reference', sql<{ code: string }>`select code from reference.agencies where id = ${agencyId}`))[0]!.code;

  productionEnv = {
    ...databases.env,
    NODE_ENV: 'production',
    ...idp.env,
    CURSOR_SECRET: 'trusted-documents-apps-test-cursor-secret-0123456789',
  };
  production = await startGateway(
    loadConfig({ ...productionEnv, TRUSTED_DOCUMENTS: `case-desk=${relayFile}, one-stop-desk=${apolloFile}, *=${sharedFile}` }),
    { port: 0, connections: databases.connections },
  );
});

afterAll(async () => {
  await production?.close();
  await databases?.close();
  await idp?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the manifests the apps built', () => {
  it('are what Relay and Apollo write: Relay md5 ids → text, Apollo operations with sha256 ids', () => {
    expect(Object.keys(relay).sort()).toHaveLength(3);
    for (const id of Object.keys(relay)) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.values(relay).map((text) => /^query (\w+)/.exec(text)![1]).sort()).toEqual([
      'CaseDeskDossierQuery',
      'CaseDeskWorklistPaginationQuery',
      'CaseDeskWorklistQuery',
    ]);
    expect(apollo).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    expect(apollo.operations.map((o) => o.name).sort()).toEqual(['ApplicantContacts', 'OpenDossiers']);
    for (const operation of apollo.operations) expect(operation.id).toBe(sha256Hex(operation.body));
  });
});

describe("a Relay app's persisted queries run for its own tokens only", () => {
  it('runs by doc_id, pages with the refetch query by id, refetches by documentId, and the access log records the app and the document', async () => {
    const expected = await rows(
      'services',
      sql<{ code: string; applicant_kind: string }>`select code, applicant_kind from services.dossiers where agency_id = ${agencyId} order by due_at, id`,
    );
    expect(expected.slice(0, 10).some((d) => d.applicant_kind === 'CITIZEN')).toBe(true);

    type Page = { dossiers: { totalCount: number; edges: Array<{ cursor: string; node: { id: string; code: string; applicant: { __typename: string; phone?: string | null } } }>; pageInfo: { endCursor: string; hasNextPage: boolean } } };
    const first = await post({ doc_id: relayId('CaseDeskWorklistQuery'), variables: { first: 10, withContact: true } }, await officer(undefined, { 'x-request-id': 'relay-worklist-1' }));
    expect(first.errors).toBeUndefined();
    const page1 = first.data as Page;
    expect(page1.dossiers.totalCount).toBe(expected.length);
    expect(page1.dossiers.edges.map((e) => e.node.code)).toEqual(expected.slice(0, 10).map((d) => d.code));
    // withContact with a purpose: the citizens' phones (a value, where the register has one).
    expect(page1.dossiers.edges.some((e) => e.node.applicant.__typename === 'Citizen' && typeof e.node.applicant.phone === 'string')).toBe(true);

    // Relay's pagination: the refetch query the compiler made for the fragment, named by `id`.
    const second = await post(
      { id: relayId('CaseDeskWorklistPaginationQuery'), variables: { first: 10, after: page1.dossiers.pageInfo.endCursor, withContact: false } },
      await officer(),
    );
    expect(second.errors).toBeUndefined();
    expect((second.data as Page).dossiers.edges.map((e) => e.node.code)).toEqual(expected.slice(10, 20).map((d) => d.code));

    // GraphQL over HTTP's documentId, with the sha256 of the text (any manifest's documents are also known by it).
    const dossierId = page1.dossiers.edges[0]!.node.id;
    const refetch = await post({ documentId: `sha256:${sha256Hex(relay[relayId('CaseDeskDossierQuery')]!)}`, variables: { id: dossierId } }, await officer());
    expect(refetch.errors).toBeUndefined();
    expect(refetch.data).toEqual({ node: { __typename: 'Dossier', id: dossierId, code: expected[0]!.code, status: expect.any(String) } });

    const entries = await rows(
      'audit',
      sql<{ client_app: string | null; operation_name: string | null; document_hash: string | null; outcome: string; fields: string[] }>`
        select client_app, operation_name, document_hash, outcome, fields from audit.access_log where request_id = 'relay-worklist-1'`,
    );
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toMatchObject({ client_app: 'case-desk', operation_name: 'CaseDeskWorklistQuery', document_hash: sha256Hex(relay[relayId('CaseDeskWorklistQuery')]!) });
    }
    expect(entries.some((e) => e.outcome === 'GRANTED' && e.fields.includes('phone'))).toBe(true);
  });

  it("takes the app from client_id as from azp, and runs a GET by doc_id", async () => {
    const byClientId = await post({ doc_id: relayId('CaseDeskWorklistQuery'), variables: { first: 1, withContact: false } }, await officer({ client_id: 'case-desk' }));
    expect(byClientId.errors).toBeUndefined();

    const search = new URLSearchParams({ doc_id: relayId('CaseDeskWorklistQuery'), variables: JSON.stringify({ first: 2, withContact: false }) });
    // Apollo's protection against cross-site requests wants a preflight-forcing header on GET.
    const response = await fetch(`${production.url}?${search}`, { headers: { ...(await officer()), 'apollo-require-preflight': 'true' } });
    const body = (await response.json()) as Answer;
    expect(body.errors).toBeUndefined();
    expect((body.data as { dossiers: { edges: unknown[] } }).dossiers.edges).toHaveLength(2);
  });

  it("is refused for another app's token, a token without a client app and the public caller, however it is named", async () => {
    const id = relayId('CaseDeskWorklistQuery');
    const text = relay[id]!;
    const variables = { first: 1, withContact: false };
    const callers: Array<[string, Record<string, string>]> = [
      ['another app (one-stop-desk)', await officer({ azp: 'one-stop-desk' })],
      ['no client app', await officer({})],
      ['the public caller', {}],
    ];
    for (const [who, headers] of callers) {
      for (const request of [
        { doc_id: id, variables },
        { id, variables },
        { documentId: id, variables },
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(text) } }, variables },
      ]) {
        const answer = await post(request, headers);
        expect(codes(answer), `${who}: ${JSON.stringify(request)}`).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
        expect(answer.data, who).toBeUndefined();
        expect(answer.errors![0]!.message).toMatch(who.startsWith('another') ? /client app "one-stop-desk"/ : /callers without a client app/);
      }
      // Nor as the exact text: for another app it is not a trusted document.
      const asText = await post({ query: text, variables }, headers);
      expect(asText.status, who).toBe(400);
      expect(codes(asText), who).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    }
    // For its own app the exact text is that document.
    expect((await post({ query: text, variables }, await officer())).errors).toBeUndefined();
  });
});

describe("an Apollo Client app's persisted query manifest runs for its own tokens only", () => {
  const fixture = (name: string) => gql(readFileSync(path.join(ROOT, 'test/fixtures/apollo-app/src', name), 'utf8'));

  it("runs through Apollo Client's persisted-query link (the sha256 of its printed document), and the access log records the app", async () => {
    const sent: Array<{ extensions?: { persistedQuery?: { sha256Hash: string } }; query?: string }> = [];
    const client = new ApolloClient({
      link: createPersistedQueryLink({ sha256: sha256Hex }).concat(
        new HttpLink({
          uri: production.url,
          headers: await desk(),
          fetch: async (input, init) => {
            sent.push(JSON.parse(String(init?.body)) as (typeof sent)[number]);
            return fetch(input, init);
          },
        }),
      ),
      cache: new InMemoryCache({ possibleTypes: { Applicant: ['Citizen', 'Business'] } }),
    });
    const { data } = await client.query<{ dossiers: { totalCount: number; edges: Array<{ node: { __typename: string; id: string; code: string } }> } }>({
      query: fixture('open-dossiers.graphql'),
      variables: { first: 5 },
    });
    const expected = await rows(
      'services',
      sql<{ code: string }>`select code from services.dossiers where agency_id = ${agencyId} and status in ('RECEIVED', 'PROCESSING') order by due_at, id`,
    );
    expect(data.dossiers.totalCount).toBe(expected.length);
    expect(data.dossiers.edges.map((e) => e.node.code)).toEqual(expected.slice(0, 5).map((r) => r.code));
    // Normalised by the cache: the manifest's documents select __typename (the generator adds it, as the cache does).
    expect(Object.keys(client.cache.extract()).filter((key) => key.startsWith('Dossier:'))).toEqual(data.dossiers.edges.map((e) => `Dossier:${e.node.id}`));
    // One request, the hash only: the id the manifest gives the operation.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toBeUndefined();
    expect(sent[0]!.extensions?.persistedQuery?.sha256Hash).toBe(apolloOperation('OpenDossiers').id);

    const contacts = await client.query({ query: fixture('applicant-contacts.graphql'), variables: { first: 10 }, context: { headers: { 'x-request-id': 'apollo-contacts-1' } } });
    expect(contacts.errors).toBeUndefined();
    const entries = await rows(
      'audit',
      sql<{ client_app: string | null; operation_name: string | null; document_hash: string | null }>`
        select client_app, operation_name, document_hash from audit.access_log where request_id = 'apollo-contacts-1'`,
    );
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry).toEqual({ client_app: 'one-stop-desk', operation_name: 'ApplicantContacts', document_hash: apolloOperation('ApplicantContacts').id });
  });

  it("is refused for the Relay app's token, a token without a client app and the public caller", async () => {
    const { id, body } = apolloOperation('OpenDossiers');
    const callers: Array<[string, Record<string, string>]> = [
      ['case-desk', await desk({ azp: 'case-desk' })],
      ['no client app', await desk({})],
      ['public', {}],
    ];
    for (const [who, headers] of callers) {
      const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id } }, variables: { first: 1 } }, headers);
      expect(codes(byHash), who).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(byHash.data).toBeUndefined();
      // Apollo's link then sends the text with the hash: not a way in either.
      const withText = await post({ query: body, extensions: { persistedQuery: { version: 1, sha256Hash: id } }, variables: { first: 1 } }, headers);
      expect(codes(withText), who).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(codes(await post({ documentId: id, variables: { first: 1 } }, headers)), who).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    }
  });
});

describe("the gateway's own documents and shared manifests", () => {
  it('run for every caller: the apps, tokens without an app, and the public caller', async () => {
    const [dossier] = await rows('services', sql<{ code: string; status: string }>`select code, status from services.dossiers order by id limit 1`);
    for (const headers of [await officer(), await desk(), await desk({}), {}]) {
      const own = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: DOSSIER_STATUS } }, variables: { code: 'H17.00-000000-0000000' } }, headers);
      expect(own.errors).toBeUndefined();
      expect(own.data).toEqual({ dossierStatus: null });
      const shared = await post({ documentId: sha256Hex(SHARED), variables: { code: dossier!.code } }, headers);
      expect(shared.errors).toBeUndefined();
      expect(shared.data).toEqual({ dossierStatus: dossier });
    }
    expect(OWN[DOSSIER_STATUS]).toContain('query DossierStatus');
  });
});

describe('loading is checked: one line naming the file and the problem, and production does not start', () => {
  const write = (name: string, content: unknown) => {
    const file = path.join(folder, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const start = (setting: string) => startGateway(loadConfig({ ...productionEnv, TRUSTED_DOCUMENTS: setting }), { port: 0, connections: databases.connections });

  async function refusal(setting: string): Promise<ManifestError> {
    const error = await start(setting).then(
      async (gateway) => {
        await gateway.close();
        return undefined;
      },
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as Error).message).not.toContain('\n');
    return error as ManifestError;
  }

  it('refuses an unknown format, or a file that is no manifest', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ format: 'relay-persisted-queries', queries: {} }, /unknown format "relay-persisted-queries": expected/],
      [[{ id: 'a', body: 'query A { __typename }' }], /not a manifest the gateway knows/],
      [{ abc: { text: 'query A { __typename }' } }, /the document of "abc" is not a string/],
      [{ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }, /Apollo persisted query manifest version 2 is not supported/],
      [{ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x' }] }, /operation 1 of "operations" needs a string "id" and "body"/],
      [{}, /has no documents/],
      ['{ "abc": "query A { __typename }", ', /Unexpected end of JSON input|JSON/],
    ];
    for (const [n, [content, problem]] of cases.entries()) {
      const file = write(`unknown-${n}.json`, content);
      const error = await refusal(`some-app=${file}`);
      expect(error.message).toContain(`Trusted documents manifest ${file} (client app "some-app"): `);
      expect(error.message).toMatch(problem);
    }
    const missing = path.join(folder, 'no-such-manifest.json');
    expect((await refusal(`some-app=${missing}`)).message).toBe(`Trusted documents manifest ${missing} (client app "some-app"): no such file`);
  });

  it('refuses one id for two different texts: twice in a file, in an Apollo manifest, or across manifests', async () => {
    // JSON.parse keeps the last of two equal keys: the loader reads the file's members itself.
    const twice = write('twice.json', '{ "q1": "query A { __typename }", "q1": "query B { __typename }" }');
    expect((await refusal(`case-desk=${twice}`)).message).toMatch(/twice\.json \(client app "case-desk"\): the id "q1" is given twice, with different documents/);
    // The same text twice is the same document.
    const same = write('same-twice.json', '{ "q1": "query A { __typename }", "q1": "query A { __typename }" }');
    const gateway = await start(`case-desk=${same}`);
    await gateway.close();

    const apolloTwice = write('apollo-twice.json', {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: 'op-1', name: 'A', type: 'query', body: 'query A { __typename }' },
        { id: 'op-1', name: 'B', type: 'query', body: 'query B { __typename }' },
      ],
    });
    expect((await refusal(`one-stop-desk=${apolloTwice}`)).message).toMatch(/apollo-twice\.json \(client app "one-stop-desk"\): the id "op-1" is given twice/);

    const first = write('first.json', { 'shared-id': 'query A { __typename }' });
    const second = write('second.json', { 'shared-id': 'query B { __typename }' });
    const across = await refusal(`app-a=${first},app-b=${second}`);
    expect(across.message).toBe(`Trusted documents manifest ${second} (client app "app-b"): the id "shared-id" names another document in ${first} (client app "app-a")`);
    // A relabelled document: the key is a sha256, but not that of the text.
    const tampered = write('tampered.json', { [sha256Hex('query A { __typename }')]: 'query B { __typename }' });
    expect((await refusal(`app-a=${tampered}`)).message).toMatch(/tampered\.json \(client app "app-a"\): [0-9a-f]{64} is not the sha256 of its document/);
  });

  it('refuses a document that does not parse, or does not validate against the schema', async () => {
    const broken = write('broken.json', { 'x-1': 'query Broken { datasets(first: 1) { totalCount ', 'x-2': 'query Fine { __typename }' });
    expect((await refusal(`case-desk=${broken}`)).message).toMatch(/broken\.json \(client app "case-desk"\): the document \(id x-1\) does not parse: Syntax Error: Expected Name, found <EOF>\./);
    const invalid = write('invalid.json', { 'x-3': 'query Stale($first: Int!) { datasets(first: $first) { totalCount titles } }' });
    expect((await refusal(`case-desk=${invalid}`)).message).toMatch(
      /invalid\.json \(client app "case-desk"\): the document "Stale" \(id x-3\) does not validate against the schema: Cannot query field "titles" on type "DatasetConnection"\./,
    );
    // The gateway's own manifest is checked the same way.
    const own = write('own-invalid.json', { [sha256Hex('query Own { noSuchField }')]: 'query Own { noSuchField }' });
    expect((await refusal(own)).message).toMatch(/own-invalid\.json: the document "Own" \(id [0-9a-f]{64}\) does not validate against the schema: Cannot query field "noSuchField" on type "Query"/);
  });

  it('npm start in production says it in one line on stderr, and exits', async () => {
    const file = write('start-broken.json', { 'x-1': 'query Broken { nope }' });
    // Its own process with a clean environment, seeded in memory (an empty database would stop it first).
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli', 'start.ts'), '--seed'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        DATA_DIR: 'memory://',
        SEED_SCALE: 'tiny',
        PORT: '0',
        LOG_LEVEL: 'warn',
        AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
        CURSOR_SECRET: productionEnv.CURSOR_SECRET,
        ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY,
        TRUSTED_DOCUMENTS: `case-desk=${file}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n'), stderr).toEqual([
      `Trusted documents manifest ${file} (client app "case-desk"): the document "Broken" (id x-1) does not validate against the schema: Cannot query field "nope" on type "Query". Did you mean "node" or "nodes"?`,
    ]);
  });

  it('refuses a TRUSTED_DOCUMENTS setting that does not say which app each manifest is for', () => {
    const problems = (value: string) => {
      try {
        loadConfig({ TRUSTED_DOCUMENTS: value });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems('=relay.json')).toEqual(['TRUSTED_DOCUMENTS entry "=relay.json" needs a client app before "=" (the token\'s azp or client_id; no spaces, "=" or ",")']);
    expect(problems('case desk=relay.json')[0]).toMatch(/needs a client app before "="/);
    expect(problems('case-desk=')).toEqual(['TRUSTED_DOCUMENTS entry "case-desk=" names no file after "="']);
    expect(problems('a.json,b.json')[0]).toMatch(/names two files without a client app/);
    expect(problems('case-desk=relay.json,case-desk=./relay.json')).toEqual(['TRUSTED_DOCUMENTS lists case-desk=./relay.json twice']);
    expect(loadConfig({ TRUSTED_DOCUMENTS: ' own.json , case-desk=relay.json,ioc-mobile=apollo.json ' }).trustedDocuments).toEqual({
      own: path.resolve('own.json'),
      apps: [
        { app: 'case-desk', file: path.resolve('relay.json') },
        { app: 'ioc-mobile', file: path.resolve('apollo.json') },
      ],
    });
  });

  it('a broken manifest on reload leaves the documents in force', async () => {
    const id = relayId('CaseDeskDossierQuery');
    const good = readFileSync(relayFile, 'utf8');
    const replace = (content: string) => {
      const next = path.join(path.dirname(relayFile), `.next-${process.hrtime.bigint()}.json`);
      writeFileSync(next, content);
      renameSync(next, relayFile);
    };
    try {
      replace(JSON.stringify({ ...relay, [id]: 'query CaseDeskDossierQuery($id: ID!) { node(id: $id) { nope } }' }));
      expect(() => reload()).toThrow(/persisted-queries\.json \(client app "case-desk"\): the document "CaseDeskDossierQuery" .* does not validate/);
      const answer = await post({ doc_id: id, variables: { id: 'RG9zc2llcjox' } }, await officer());
      expect(codes(answer) ?? []).not.toContain('PERSISTED_QUERY_NOT_FOUND');
      expect(answer.data).toHaveProperty('node');
    } finally {
      replace(good);
      reload();
    }
  });

  it('in development a broken manifest is logged and what is sound still loads', async () => {
    const file = write('dev-mixed.json', { 'dev-1': 'query DevFine { datasets(first: 1) { totalCount } }', 'dev-2': 'query DevBroken { nope }' });
    const warnings: string[] = [];
    const config = loadConfig({ ...databases.env, TRUSTED_DOCUMENTS: `case-desk=${file}` });
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const development = await startGateway(config, { port: 0, connections: databases.connections, logger });
    try {
      expect(warnings.join('\n')).toMatch(/dev-mixed\.json \(client app \\"case-desk\\"\): the document \\"DevBroken\\" \(id dev-2\) does not validate/);
      const token = await mintDevToken(config.auth, { role: 'analyst', clientApp: 'case-desk' });
      const answer = await post({ doc_id: 'dev-1' }, { authorization: `Bearer ${token}` }, development.url);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toMatchObject({ datasets: { totalCount: expect.any(Number) } });
    } finally {
      await development.close();
    }
  });
});
