import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, type DocumentNode } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, documentHash, GatewayRequestError } from '../../src/clients/client.js';
import { loadConfig } from '../../src/config.js';
import { DossierStatusDocument } from '../../src/generated/graphql.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { reload, sha256Hex, TrustedDocumentManifest } from '../../src/server/trusted-documents/index.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../support/access-log-key.js';

/**
 * Trusted documents through live gateways on the same seeded databases: one in production mode
 * (only documents of the manifest run, by hash) and one in development mode (anything runs).
 * Both read the manifest from a temporary copy (TRUSTED_DOCUMENTS) that the tests rewrite.
 */

const GENERATED = path.resolve('src/generated/persisted-documents.json');
const generated = JSON.parse(readFileSync(GENERATED, 'utf8')) as Record<string, string>;
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  // Production takes tokens from an identity provider only; none is called in these tests.
  AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
  CURSOR_SECRET: 'trusted-documents-test-cursor-secret-0123456789',
  ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY,
};

let databases: SeededDatabases;
let production: RunningGateway;
let development: RunningGateway;
let folder: string;
let manifestFile: string;
const previousSetting = process.env.TRUSTED_DOCUMENTS;

/** Replaces the manifest the way a deploy does: a new file renamed over the old one. */
function writeManifest(documents: Record<string, string>): void {
  const next = path.join(folder, `.next-${process.hrtime.bigint()}.json`);
  writeFileSync(next, JSON.stringify(documents, null, 2));
  renameSync(next, manifestFile);
}

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function post(url: string, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, ...((await response.json()) as object) };
}

const byHash = (hash: string, variables: Record<string, unknown> = {}) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

const hashOf = (document: DocumentNode) => documentHash(document)!;

/** A dossier straight from SQL: what the public lookup must answer. */
async function someDossier(): Promise<{ code: string; status: string; submitted_at: Date; due_at: Date; completed_at: Date | null }> {
  const { rows } = await sql<{ code: string; status: string; submitted_at: Date; due_at: Date; completed_at: Date | null }>`
    select code, status, submitted_at, due_at, completed_at from services.dossiers order by id desc limit 1`.execute(databases.connections.sources.services.root);
  return rows[0]!;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** A document that is in no manifest (yet). */
const CATEGORIES = 'query CategoryFacets { datasetCategories { category count } }';
const COUNT = 'query DatasetTotal { datasets { totalCount } }';

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'trusted-documents-'));
  manifestFile = path.join(folder, 'persisted-documents.json');
  writeManifest(generated);
  process.env.TRUSTED_DOCUMENTS = manifestFile;
  databases = await seededDatabases();
  production = await startGateway(loadConfig({ ...databases.env, ...PRODUCTION_ENV }), { port: 0, connections: databases.connections });
  development = await startGateway(loadConfig(databases.env), { port: 0, connections: databases.connections });
});

afterAll(async () => {
  await production?.close();
  await development?.close();
  await databases?.close();
  if (previousSetting === undefined) delete process.env.TRUSTED_DOCUMENTS;
  else process.env.TRUSTED_DOCUMENTS = previousSetting;
  rmSync(folder, { recursive: true, force: true });
});

describe('production: only documents of the manifest run', () => {
  it('refuses a document outside the manifest with PERSISTED_QUERY_NOT_FOUND, before running it', async () => {
    const refused = await post(production.url, { query: CATEGORIES });
    expect(refused.status).toBe(400);
    expect(refused.data).toBeUndefined();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0]!.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(refused.errors![0]!.message).toMatch(/only trusted documents/);

    // Not even a syntax error gets as far as the parser.
    const garbage = await post(production.url, { query: '{ this is not graphql' });
    expect(garbage.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('refuses an unknown hash, and lets no one register a document by sending it with its hash', async () => {
    const hash = sha256Hex(CATEGORIES);
    const unknown = await post(production.url, byHash(hash));
    expect(unknown.status).toBe(200);
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(unknown.errors![0]!.message).toContain(hash);

    // Apollo's automatic persisted queries would register this (text + matching hash)...
    const register = await post(production.url, { query: CATEGORIES, ...byHash(hash) });
    expect(register.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // ...and the hash alone would then run: not here.
    const again = await post(production.url, byHash(hash));
    expect(again.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(again.data).toBeUndefined();

    const malformed = await post(production.url, byHash('not-a-hash'));
    expect(malformed.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('runs a document of the manifest by its hash (and by its exact text)', async () => {
    const dossier = await someDossier();
    const hash = hashOf(DossierStatusDocument);
    expect(generated[hash]).toContain('query DossierStatus');
    // The generated documents select `__typename` on every object (codegen.ts), for normalised caches.
    const expected = {
      dossierStatus: {
        __typename: 'DossierStatusLookup',
        code: dossier.code,
        status: dossier.status,
        submittedAt: iso(dossier.submitted_at),
        dueAt: iso(dossier.due_at),
        completedAt: iso(dossier.completed_at),
      },
    };

    const answer = await post(production.url, byHash(hash, { code: dossier.code }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(expected);
    // The `sha256:` form of the same identifier (GraphQL over HTTP's persisted documents).
    expect((await post(production.url, byHash(`sha256:${hash}`, { code: dossier.code }))).data).toEqual(expected);
    // The manifest's text wins over any text sent along with a known hash.
    expect((await post(production.url, { query: CATEGORIES, ...byHash(hash, { code: dossier.code }) })).data).toEqual(expected);
    // The exact text of a manifest document is that document.
    expect((await post(production.url, { query: generated[hash], variables: { code: dossier.code } })).data).toEqual(expected);

    // The typed client sends the hash.
    const client = createGatewayClient({ url: production.url });
    expect(await client.request(DossierStatusDocument, { code: dossier.code })).toEqual(expected);
  });

  it('the typed client does not get around the manifest: its fallback is refused too', async () => {
    const outside = parse(CATEGORIES) as TypedDocumentNode<{ datasetCategories: unknown[] }, Record<string, never>>;
    Object.assign(outside, { __meta__: { hash: sha256Hex(CATEGORIES) } });
    const client = createGatewayClient({ url: production.url });
    const failure = await client.request(outside).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayRequestError);
    expect((failure as GatewayRequestError).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((failure as GatewayRequestError).operationName).toBe('CategoryFacets');
  });

  it('runs a new document after a new manifest is written and reloaded, without a restart', async () => {
    const hash = sha256Hex(COUNT);
    expect((await post(production.url, byHash(hash))).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    writeManifest({ ...generated, [hash]: COUNT });
    const reloaded = reload();
    expect(reloaded.filter((r) => r.file === manifestFile).map((r) => r.documents)).toEqual([
      Object.keys(generated).length + 1,
      Object.keys(generated).length + 1,
    ]);

    const { rows } = await sql<{ n: number }>`select count(*)::int as n from opendata.datasets where access_level = 'PUBLIC'`.execute(
      databases.connections.sources.opendata.root,
    );
    const answer = await post(production.url, byHash(hash));
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ datasets: { totalCount: rows[0]!.n } });
    // Documents that were in force before still run.
    expect((await post(production.url, byHash(hashOf(DossierStatusDocument), { code: 'H17.00-000000-0000000' }))).data).toEqual({ dossierStatus: null });
  });

  it('follows the file by itself (fs.watch): a document removed from the manifest stops running', async () => {
    const hash = sha256Hex(COUNT);
    writeManifest({ ...generated, [hash]: COUNT });
    reload();
    expect((await post(production.url, byHash(hash))).errors).toBeUndefined();

    writeManifest(generated); // no reload() call: the watcher sees the rename
    const deadline = Date.now() + 10_000;
    let answer = await post(production.url, byHash(hash));
    while (!answer.errors && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await post(production.url, byHash(hash));
    }
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('reloads on SIGHUP', async () => {
    const hash = sha256Hex(CATEGORIES);
    writeManifest({ ...generated, [hash]: CATEGORIES });
    process.kill(process.pid, 'SIGHUP');
    const deadline = Date.now() + 10_000;
    let answer = await post(production.url, byHash(hash));
    while (answer.errors && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await post(production.url, byHash(hash));
    }
    expect(answer.errors).toBeUndefined();
    expect((answer.data as { datasetCategories: unknown[] }).datasetCategories.length).toBeGreaterThan(3);
    writeManifest(generated);
    reload();
  });

  it('keeps the documents in force when the new manifest is broken', async () => {
    const hash = hashOf(DossierStatusDocument);
    // A document that is not what its hash says: tampered with, or written by another tool.
    writeManifest({ ...generated, [sha256Hex(COUNT)]: CATEGORIES });
    expect(() => reload()).toThrow(/not the sha256 of its document/);
    writeManifest({ ...generated, [sha256Hex(COUNT)]: COUNT });
    writeFileSync(manifestFile, '{ "truncated": ');
    expect(() => reload()).toThrow(/persisted-documents\.json/);
    const answer = await post(production.url, byHash(hash, { code: 'H17.00-000000-0000000' }));
    expect(answer.errors).toBeUndefined();
    writeManifest(generated);
    reload();
  });

  it('refuses to start without a readable manifest', async () => {
    const missing = path.join(folder, 'missing.json');
    expect(() => new TrustedDocumentManifest(missing, { required: true })).toThrow(/missing\.json: no such file/);
    process.env.TRUSTED_DOCUMENTS = missing;
    try {
      await expect(
        startGateway(loadConfig({ ...databases.env, ...PRODUCTION_ENV }), { port: 0, connections: databases.connections }),
      ).rejects.toThrow(/Trusted documents manifest .*missing\.json/);
    } finally {
      process.env.TRUSTED_DOCUMENTS = manifestFile;
    }
  });
});

describe('development: any document runs', () => {
  it('runs documents outside the manifest, and resolves the manifest’s hashes too', async () => {
    const raw = await post(development.url, { query: CATEGORIES });
    expect(raw.errors).toBeUndefined();
    expect((raw.data as { datasetCategories: unknown[] }).datasetCategories.length).toBeGreaterThan(3);

    const dossier = await someDossier();
    const answer = await post(development.url, byHash(hashOf(DossierStatusDocument), { code: dossier.code }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toMatchObject({ dossierStatus: { code: dossier.code, status: dossier.status } });
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, and the typed client falls back to the document', async () => {
    const unknown = await post(development.url, byHash(sha256Hex(COUNT)));
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const document = parse(COUNT) as TypedDocumentNode<{ datasets: { totalCount: number } }, Record<string, never>>;
    Object.assign(document, { __meta__: { hash: sha256Hex(COUNT) } });
    const requests: string[] = [];
    const client = createGatewayClient({
      url: development.url,
      fetch: async (input, init) => {
        requests.push(String(init?.body));
        return fetch(input, init);
      },
    });
    const { datasets } = await client.request(document);
    expect(datasets.totalCount).toBeGreaterThan(100);
    // First the hash alone, then the whole document; the next time the document straight away.
    expect(requests.map((body) => Object.keys(JSON.parse(body) as object).sort())).toEqual([
      ['extensions', 'operationName', 'variables'],
      ['operationName', 'query', 'variables'],
    ]);
    await client.request(document);
    expect(requests).toHaveLength(3);
    expect(JSON.parse(requests[2]!)).toHaveProperty('query');
  });
});
