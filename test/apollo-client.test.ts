/**
 * Apollo Client (3.14, the core: no React) as a front-end team uses it, against a gateway in
 * production mode: trusted documents only, tokens from an identity provider (a JWKS on a
 * loopback port). It runs the gateway's own manifest documents (src/generated), sent by hash
 * through Apollo's persisted-query link, with an InMemoryCache that pages the lists with
 * relayStylePagination. The generated documents select `__typename` on every object
 * (codegen.ts), so the cache normalises: `Dataset:<id>` entries, pages merged without
 * duplicates, and a re-read of one dataset updates the list that shows it.
 *
 * The client set-up is examples/apollo-client.ts, the code docs/frontend.md shows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gql } from '@apollo/client/core/index.js';
import { print } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentHash } from '../src/clients/client.js';
import { loadConfig } from '../src/config.js';
import { DatasetPageDocument, DatasetSearchDocument, OfficerWorklistDocument } from '../src/generated/graphql.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { sha256Hex } from '../src/server/trusted-documents/index.js';
import { createApolloClient } from '../examples/apollo-client.js';
import { seededDatabases, type SeededDatabases } from './support/databases.js';
import { startIdentityProvider, type IdentityProvider } from './support/identity-provider.js';

const ROOT = path.resolve(import.meta.dirname, '..');

let databases: SeededDatabases;
let idp: IdentityProvider;
let production: RunningGateway;
/** Every request body Apollo Client sent. */
const sent: Array<{ operationName?: string; query?: string; extensions?: { persistedQuery?: { version: number; sha256Hash: string } } }> = [];
const recordingFetch: typeof fetch = async (input, init) => {
  sent.push(JSON.parse(String(init?.body)) as (typeof sent)[number]);
  return fetch(input, init);
};

beforeAll(async () => {
  idp = await startIdentityProvider({ kid: 'apollo-test-key' });
  databases = await seededDatabases();
  production = await startGateway(
    loadConfig({
      ...databases.env,
      NODE_ENV: 'production',
      ...idp.env,
      CURSOR_SECRET: 'apollo-client-test-cursor-secret-0123456789',
    }),
    { port: 0, connections: databases.connections },
  );
});

afterAll(async () => {
  await production?.close();
  await databases?.close();
  await idp?.close();
});

const opendata = () => databases.connections.sources.opendata.root;

/** The cache's entries whose key starts with `Type:`. */
function entriesOf(extracted: Record<string, unknown>, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(extracted).filter(([key]) => key.startsWith(`${type}:`))) as Record<string, Record<string, unknown>>;
}

describe('Apollo Client against a production gateway', () => {
  it('is set up as docs/frontend.md shows it (examples/apollo-client.ts, verbatim)', () => {
    const code = readFileSync(path.join(ROOT, 'examples/apollo-client.ts'), 'utf8');
    const docs = readFileSync(path.join(ROOT, 'docs/frontend.md'), 'utf8');
    expect(docs).toContain(`\`\`\`ts\n${code.slice(code.indexOf('import ')).trimEnd()}\n\`\`\``);
  });

  it('sends no document that is not a generated one (the production gateway would refuse it)', async () => {
    const before = sent.length;
    const client = createApolloClient({ url: production.url, fetch: recordingFetch });
    const outside = gql`
      query Outside {
        datasets(first: 1) {
          totalCount
        }
      }
    `;
    await expect(client.query({ query: outside })).rejects.toThrow(/Outside is not a generated document/);
    expect(sent.length).toBe(before);
    // What Apollo's link would send by default, the sha256 of its printed text, is refused.
    const refused = await fetch(production.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationName: 'Outside', variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(print(outside)) } } }),
    });
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('normalises the entities of a list: Dataset:<id> entries, the list holding references', async () => {
    const client = createApolloClient({ url: production.url, fetch: recordingFetch });
    const before = sent.length;
    const { data } = await client.query({ query: DatasetSearchDocument, variables: { first: 20 } });
    expect(data.datasets!.edges).toHaveLength(20);
    // Sent by the manifest's hash, without the text.
    expect(sent.slice(before)).toEqual([
      expect.objectContaining({ operationName: 'DatasetSearch', extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(DatasetSearchDocument) } } }),
    ]);
    expect(sent.slice(before).some((body) => 'query' in body)).toBe(false);

    const extracted = client.cache.extract() as Record<string, unknown>;
    const datasets = entriesOf(extracted, 'Dataset');
    expect(Object.keys(datasets).sort()).toEqual(data.datasets!.edges.map((e) => `Dataset:${e.node.id}`).sort());
    const first = data.datasets!.edges[0]!.node;
    expect(datasets[`Dataset:${first.id}`]).toMatchObject({ __typename: 'Dataset', id: first.id, slug: first.slug, title: first.title });
    // The list under ROOT_QUERY holds references, not copies.
    const root = extracted.ROOT_QUERY as Record<string, { edges: Array<{ node: { __ref: string } }> }>;
    const listKey = Object.keys(root).find((key) => key.startsWith('datasets'))!;
    expect(root[listKey]!.edges.map((e) => e.node.__ref)).toEqual(data.datasets!.edges.map((e) => `Dataset:${e.node.id}`));

    // The same data straight from SQL: the ids are opaque, the slugs are not.
    const { rows } = await sql<{ slug: string }>`select slug from opendata.datasets where access_level = 'PUBLIC' order by downloads desc, id desc limit 20`.execute(opendata());
    expect(data.datasets!.edges.map((e) => e.node.slug)).toEqual(rows.map((r) => r.slug));
  });

  it('pages with fetchMore: 5 × 20 merged by relayStylePagination, no duplicates, in the order of one 100-item page', async () => {
    const client = createApolloClient({ url: production.url, fetch: recordingFetch });
    await client.query({ query: DatasetSearchDocument, variables: { first: 20 } });
    // A watched query, as a list component holds one: fetchMore adds to it.
    const observable = client.watchQuery({ query: DatasetSearchDocument, variables: { first: 20 } });
    const watching = observable.subscribe(() => undefined);
    let result = observable.getCurrentResult();
    const total = result.data.datasets!.totalCount!;
    expect(total).toBeGreaterThan(100);
    for (let page = 2; page <= 5; page += 1) {
      await observable.fetchMore({ variables: { after: result.data.datasets!.pageInfo.endCursor } });
      result = observable.getCurrentResult();
      expect(result.data.datasets!.edges).toHaveLength(page * 20);
    }
    const ids = result.data.datasets!.edges.map((e) => e.node.id);
    expect(new Set(ids).size).toBe(100);
    expect(result.data.datasets!.pageInfo.hasNextPage).toBe(true);
    expect(Object.keys(entriesOf(client.cache.extract() as Record<string, unknown>, 'Dataset'))).toHaveLength(100);
    watching.unsubscribe();

    // One page of 100, in a fresh cache: the same datasets in the same order.
    const fresh = createApolloClient({ url: production.url, fetch: recordingFetch });
    const whole = await fresh.query({ query: DatasetSearchDocument, variables: { first: 100 } });
    expect(whole.data.datasets!.edges.map((e) => e.node.id)).toEqual(ids);
  });

  it('a re-read of one dataset by its slug (DatasetPage) updates the entry the list shows', async () => {
    const client = createApolloClient({ url: production.url, fetch: recordingFetch });
    const list = await client.query({ query: DatasetSearchDocument, variables: { first: 20 } });
    const shown = list.data.datasets!.edges[3]!.node;
    const retitled = `${shown.title} (cập nhật)`;
    const updated = await sql<{ id: number }>`update opendata.datasets set title = ${retitled} where slug = ${shown.slug} returning id`.execute(opendata());
    expect(updated.rows).toHaveLength(1);
    try {
      // The list from the cache still shows what it got.
      expect(client.readQuery({ query: DatasetSearchDocument, variables: { first: 20 } })!.datasets!.edges[3]!.node.title).toBe(shown.title);

      const page = await client.query({ query: DatasetPageDocument, variables: { slug: shown.slug }, fetchPolicy: 'network-only' });
      expect(page.data.dataset).toMatchObject({ __typename: 'Dataset', id: shown.id, title: retitled });
      // One entry for the dataset, now with the new title and the page's fields too...
      const entry = entriesOf(client.cache.extract() as Record<string, unknown>, 'Dataset')[`Dataset:${shown.id}`]!;
      expect(entry).toMatchObject({ title: retitled, description: page.data.dataset!.description });
      // ...and the list, read from the cache without a request, shows it.
      const requests = sent.length;
      const again = await client.query({ query: DatasetSearchDocument, variables: { first: 20 } });
      expect(sent.length).toBe(requests);
      expect(again.data.datasets!.edges[3]!.node).toMatchObject({ id: shown.id, title: retitled });
      expect(again.data.datasets!.edges.filter((e) => e.node.title === retitled)).toHaveLength(1);
    } finally {
      await sql`update opendata.datasets set title = ${shown.title} where slug = ${shown.slug}`.execute(opendata());
    }
  });

  it("normalises an officer's worklist with a provider's token: Dossier, Citizen and Business entries (a union)", async () => {
    const token = await idp.token({ sub: 'officer-apollo', role: 'officer', agency: 'UBND-ST', azp: 'officer-worklist' });
    const client = createApolloClient({ url: production.url, token, fetch: recordingFetch });
    const { data } = await client.query({ query: OfficerWorklistDocument, variables: { first: 30 } });
    const nodes = data.dossiers!.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    const extracted = client.cache.extract() as Record<string, unknown>;
    expect(Object.keys(entriesOf(extracted, 'Dossier')).sort()).toEqual(nodes.map((n) => `Dossier:${n.id}`).sort());
    const applicants = nodes.flatMap((n) => (n.applicant ? [`${n.applicant.__typename}:${n.applicant.id}`] : []));
    expect(applicants.length).toBeGreaterThan(0);
    for (const key of applicants) expect(extracted[key], key).toBeDefined();
    const { sources } = databases.connections;
    const agency = await sql<{ id: number }>`select id from reference.agencies where code = 'UBND-ST'`.execute(sources.reference.root);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from services.dossiers
      where agency_id = ${agency.rows[0]!.id} and status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED')`.execute(sources.services.root);
    expect(data.dossiers!.totalCount).toBe(rows[0]!.n);
  });
});
