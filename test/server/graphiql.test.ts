import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { startGateway } from '../../src/server/gateway.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

// GraphiQL at /graphiql in headless Chromium (the Debian package, which .ci/run installs), with
// every request to another host blocked: the IDE must work with no internet access.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let gw: TestGateway;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the GraphiQL test needs it. ` +
        'Install it with `apt-get install -y --no-install-recommends chromium` (as .ci/run does) or set CHROMIUM_PATH.',
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  gw = await startTestGateway();
  base = gw.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

interface Visit {
  page: Page;
  /** Every URL the page asked for, and those blocked for leaving 127.0.0.1. */
  requests: string[];
  blocked: string[];
  /** Script errors, failed loads and CSP violations the page reported. */
  problems: string[];
}

async function open(path: string): Promise<Visit> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const visit: Visit = { page, requests: [], blocked: [], problems: [] };
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    visit.requests.push(url.href);
    const local = url.hostname === '127.0.0.1';
    if (!local) visit.blocked.push(url.href);
    return local ? route.continue() : route.abort();
  });
  page.on('pageerror', (error) => visit.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') visit.problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => visit.problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  await page.goto(`${base}${path}`);
  await page.locator('.graphiql-execute-button').waitFor({ state: 'visible', timeout: 30_000 });
  return visit;
}

/** The text of the result pane once it has some (CodeMirror renders it in lines). */
async function resultText(page: Page, containing: string): Promise<string> {
  await page.locator('.result-window').filter({ hasText: containing }).waitFor({ timeout: 30_000 });
  return (await page.locator('.result-window').textContent()) ?? '';
}

function expectOffline(visit: Visit): void {
  expect(visit.blocked).toEqual([]);
  expect(visit.requests.length).toBeGreaterThan(4);
  expect(visit.requests.every((url) => new URL(url).host === new URL(base).host)).toBe(true);
  expect(visit.problems).toEqual([]);
}

describe('GraphiQL at /graphiql', () => {
  it('is served with its assets from the gateway, under a CSP that allows only this origin', async () => {
    const res = await fetch(`${base}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining(['/graphiql/assets/react.production.min.js', '/graphiql/assets/react-dom.production.min.js', '/graphiql/assets/graphiql.min.js', '/graphiql/assets/graphiql.min.css']),
    );
    for (const asset of assets) {
      const file = await fetch(`${base}${asset}`);
      expect(file.status, asset).toBe(200);
      expect(Number(file.headers.get('content-length') ?? (await file.arrayBuffer()).byteLength), asset).toBeGreaterThan(100);
    }
    expect((await fetch(`${base}/graphiql/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/graphiql/assets/package.json`)).status).toBe(404);
  });

  it('loads offline, runs the query of the URL with the run button and shows the result', async () => {
    const [category] = await sql<{ category: string; n: number }>`
      select category, count(*)::int as n from opendata.datasets where access_level = 'PUBLIC' group by 1 order by 2 desc, 1 limit 1`.execute(
      gw.databases.connections.sources.opendata.root,
    ).then((r) => r.rows);
    const query = '{ datasetCategories { category count } }';
    const visit = await open(`/graphiql?query=${encodeURIComponent(query)}`);
    await visit.page.click('.graphiql-execute-button');
    const text = await resultText(visit.page, '"datasetCategories"');
    expect(text).toContain(`"category": "${category!.category}"`);
    expect(text).toContain(`"count": ${category!.n}`);
    // The schema came through introspection: the documentation explorer knows the Query type.
    await visit.page.locator('button[aria-label="Show Documentation Explorer"]').click();
    const explorer = visit.page.locator('.graphiql-doc-explorer');
    await explorer.getByText('Query', { exact: true }).first().click({ timeout: 10_000 });
    await explorer.getByText('datasetCategories', { exact: true }).first().waitFor({ timeout: 10_000 });
    expectOffline(visit);
    await visit.page.context().close();
  });

  it('takes a query typed into the editor and the headers typed into the header editor', async () => {
    const [citizen] = await sql<{ national_id: string; full_name: string }>`select national_id, full_name from population.citizens order by id limit 1`
      .execute(gw.databases.connections.sources.population.root)
      .then((r) => r.rows);
    const token = await mintDevToken(gw.databases.config.auth, { role: 'citizen', citizenId: citizen!.national_id });
    const visit = await open('/graphiql');
    const { page } = visit;
    // The first visit explains how to say who you are.
    expect(await page.locator('.graphiql-query-editor').textContent()).toContain('Authorization');

    const query = 'query Me { me { fullName nationalId } }';
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(query);
    // On a loaded machine the editor can lag behind the keyboard: wait until it holds the text.
    await expect.poll(async () => (await queryEditor.textContent())?.replace(/\s+/g, ' ') ?? '', { timeout: 20_000 }).toContain('me { fullName nationalId }');

    // The header editor is open on a first visit (defaultEditorToolsVisibility: headers).
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}`, 'X-Purpose': 'SELF_SERVICE' }));
    await expect.poll(async () => (await headers.textContent()) ?? '', { timeout: 20_000 }).toContain('SELF_SERVICE');

    // GraphiQL takes an edited query's operation name into its state in a debounced handler; a
    // click before it has run sends the typed document with the default document's operation
    // name (OpenDatasets: "Unknown operation"). The same handler calls onEditQuery, which writes
    // the query into the URL: once the URL holds the typed query, the state holds its name.
    // (Runs in the page; the test's TypeScript has no DOM types.)
    const urlHolds = (typed: string) => new URLSearchParams((globalThis as unknown as { location: { search: string } }).location.search).get('query') === typed;
    await page.waitForFunction(urlHolds, query, { timeout: 20_000 });
    await page.click('.graphiql-execute-button');
    const text = await resultText(page, '"me"');
    expect(text).toContain(`"fullName": "${citizen!.full_name}"`);
    expect(text).toContain(`"nationalId": "${citizen!.national_id}"`);
    // The URL follows the editor (never the headers: tokens stay out of URLs).
    expect(new URL(page.url()).searchParams.get('query')).toBe(query);
    expect(page.url()).not.toContain(token.slice(0, 20));
    expectOffline(visit);
    await page.context().close();
  });
});

describe('in production mode', () => {
  it('/graphiql is a 404', async () => {
    const production = await startGateway(
      loadConfig({
        ...gw.databases.env,
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
        CURSOR_SECRET: 'graphiql-test-cursor-secret-0123456789abcdef',
      }),
      { port: 0, connections: gw.databases.connections },
    );
    try {
      const root = production.url.replace(/\/graphql$/, '');
      for (const path of ['/graphiql', '/graphiql/', '/graphiql/assets/graphiql.min.js', '/graphiql/init.js']) {
        const res = await fetch(`${root}${path}`, { headers: { accept: 'text/html' } });
        expect(res.status, path).toBe(404);
        expect(await res.text()).not.toContain('GraphiQL');
      }
    } finally {
      await production.close();
    }
  });
});
