import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.js';
import { checkpointText, generateSignerKey, parseSignerKey } from '../../../src/modules/audit/db/note.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../../support/access-log-key.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { startIdentityProvider, type IdentityProvider } from '../../support/identity-provider.js';

// The auditor's page (/audit) in headless Chromium: the Debian package, which .ci/run installs.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let gw: TestGateway;
let browser: Browser;
let page: Page;
let base: string;
let auditorToken: string;
/** Script errors and CSP violations the page reported: there must be none. */
const pageProblems: string[] = [];

/**
 * The same databases behind a production gateway: NODE_ENV=production, so only the documents of
 * the trusted-documents manifest run, and only the identity provider's (RS256) tokens count.
 */
let idp: IdentityProvider;
let production: RunningGateway;
let productionBase: string;
/** The gateway's own manifest of trusted documents (hash → text), as `npm run codegen` wrote it. */
const MANIFEST = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;

/** Reports script errors and CSP violations of `on` into `problems`. */
function watchProblems(on: Page, problems: string[]): void {
  on.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  on.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the auditor's page test needs it. ` +
        'Install it with `apt-get install -y --no-install-recommends chromium` (as .ci/run does) or set CHROMIUM_PATH.',
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  gw = await startTestGateway();
  base = gw.url.replace(/\/graphql$/, '');
  const { auth } = gw.databases.config;
  auditorToken = await mintDevToken(auth, { role: 'auditor', subject: 'auditor-01' });

  // GRANTED entries (an admin reading citizens with a purpose) and DENIED ones (the public).
  const admin = { authorization: `Bearer ${await mintDevToken(auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
  for (let i = 0; i < 3; i++) {
    const granted = await gw.query(`{ citizens(first: 5) { edges { node { fullName nationalId } } } }`, undefined, admin);
    expect(granted.errors).toBeUndefined();
    // phone: a representative's full name is public register data, their phone is not.
    const denied = await gw.query(`{ businesses(first: 3) { edges { node { legalRepresentative { phone } } } } }`);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }

  page = await browser.newPage();
  watchProblems(page, pageProblems);

  idp = await startIdentityProvider({ alg: 'RS256', kid: 'audit-page-test' });
  const productionEnv = { ...gw.databases.env, NODE_ENV: 'production', ...idp.env, CURSOR_SECRET: 'audit-page-test-cursor-secret-0123456789abcdef' };
  production = await startGateway(loadConfig(productionEnv), { port: 0, connections: gw.databases.connections });
  productionBase = production.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await browser?.close();
  await production?.close();
  await gw?.close();
  await idp?.close();
});

const root = () => gw.databases.connections.sources.audit.root;

async function countInDatabase(outcome?: string): Promise<number> {
  const where = outcome ? sql`where outcome = ${outcome}` : sql``;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log ${where}`.execute(root());
  return rows[0]!.n;
}

/** Runs an action on the page and waits until the entries table has loaded once more. */
async function loaded(on: Page, action: () => Promise<unknown>): Promise<void> {
  const before = Number(await on.getAttribute('#entries', 'data-loads'));
  await action();
  await on.locator(`#entries[data-loads="${before + 1}"]`).waitFor({ state: 'attached' });
}

async function verified(on: Page, action: () => Promise<unknown>): Promise<void> {
  const before = Number(await on.getAttribute('#verification', 'data-checks'));
  await action();
  await on.locator(`#verification[data-checks="${before + 1}"]`).waitFor({ state: 'attached' });
}

interface Row {
  seq: number;
  actor: string;
  role: string;
  purpose: string;
  outcome: string;
  /** The "Found by" column: the fields the person was found by, comma-separated. */
  foundBy: string;
  /** What the page says of the row's verification (the "In the log" column). */
  proof: string;
}

async function tableRows(on: Page): Promise<Row[]> {
  // Only the page's own code (src/server/audit-page/browser/) asks for the DOM library: the row is
  // typed by the little it is used for.
  type TableRow = { cells: ArrayLike<{ textContent: string | null }> };
  const cells = await on.$$eval('#rows tr', (trs) => trs.map((tr) => Array.from((tr as unknown as TableRow).cells, (td) => td.textContent ?? '')));
  return cells.filter((c) => c.length === 12).map((c) => ({ seq: Number(c[0]), actor: c[2]!, role: c[3]!, purpose: c[5]!, outcome: c[9]!, foundBy: c[10]!, proof: c[11]! }));
}

/** The rows' verification states (data-proof: verified, pending, failed) by row id. */
async function proofStates(on: Page): Promise<Map<number, string>> {
  type TableRow = { dataset: { rowId?: string; proof?: string } };
  const pairs = await on.$$eval('#rows tr[data-row-id]', (trs) => trs.map((tr) => [(tr as unknown as TableRow).dataset.rowId ?? '', (tr as unknown as TableRow).dataset.proof ?? ''] as const));
  return new Map(pairs.map(([id, state]) => [Number(id), state]));
}

/** The latest checkpoint the log signed, from the database. */
async function latestCheckpoint(): Promise<{ size: number; note: string }> {
  const { rows } = await sql<{ size: number; note: string }>`select tree_size::int as size, note from audit.access_log_checkpoint order by tree_size desc limit 1`.execute(root());
  return rows[0]!;
}

/** Until the log has signed a checkpoint of every entry. */
async function integrated(): Promise<{ size: number; note: string }> {
  const started = Date.now();
  const count = await countInDatabase();
  for (;;) {
    const latest = await latestCheckpoint();
    if (latest.size >= count) return latest;
    if (Date.now() - started > 10_000) throw new Error('entries not integrated within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const text = async (on: Page, selector: string) => ((await on.textContent(selector)) ?? '').trim();

/** Changes the oldest entry (or entry `id`) behind the log's back (triggers off); `restore` puts it back as it was. */
async function tamperWithOldestEntry(id?: number): Promise<{ firstId: number; restore: () => Promise<void> }> {
  const where = id === undefined ? sql`` : sql`where id = ${id}`;
  const { rows } = await sql<{ id: number; purpose: string | null }>`select id::int as id, purpose from audit.access_log ${where} order by id limit 1`.execute(root());
  const { id: firstId, purpose } = rows[0]!;
  const untriggered = async (change: () => Promise<unknown>) => {
    await sql`alter table audit.access_log disable trigger all`.execute(root());
    try {
      await change();
    } finally {
      await sql`alter table audit.access_log enable trigger all`.execute(root());
    }
  };
  await untriggered(() => sql`update audit.access_log set purpose = 'X' where id = ${firstId}`.execute(root()));
  return { firstId, restore: () => untriggered(() => sql`update audit.access_log set purpose = ${purpose} where id = ${firstId}`.execute(root())) };
}

async function signIn(on: Page, token: string, at = base): Promise<void> {
  await on.goto(`${at}/audit`);
  await loaded(on, async () => {
    await on.fill('#token', token);
    await on.click('#sign-in');
  });
}

describe("the auditor's page", () => {
  it('is served with its script under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${base}/audit`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-');
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/audit/app.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    const script = await fetch(`${base}/audit/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('signs in and lists the newest entries with the total of the database', async () => {
    await signIn(page, auditorToken);
    expect(await text(page, '#who')).toContain('auditor-01 (role auditor)');
    const total = await countInDatabase();
    expect(total).toBeGreaterThan(20);
    expect(await text(page, '#total')).toBe(String(total));
    expect(await text(page, '#range')).toBe('1–20');
    const rows = await tableRows(page);
    expect(rows).toHaveLength(20);
    expect(rows[0]!.seq).toBe(total);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => b - a));
    // The admin's list is ordered by name by default, an ordering on a personal field: each person
    // read on it was found by fullName, which their read's entry says (the "Found by" column).
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['GRANTED', 'DENIED']));
    expect(rows.filter((r) => r.outcome === 'GRANTED').map((r) => r.foundBy)).toContain('fullName');
    expect(await text(page, '#error')).toBe('');

    // The token stays in the tab's session storage: a reload signs in again by itself.
    await page.reload();
    await page.locator('#entries[data-loads="1"]').waitFor({ state: 'attached' });
    expect(await text(page, '#total')).toBe(String(total));
  });

  it('verifies every row it shows against the signed checkpoint it verified, and says so in the header', async () => {
    const latest = await integrated();
    await loaded(page, () => page.click('#apply'));
    expect(await page.getAttribute('#checkpoint', 'data-state')).toBe('ok');
    const size = Number(await page.getAttribute('#checkpoint', 'data-size'));
    expect(size).toBe(latest.size);
    expect(await text(page, '#checkpoint-state')).toBe(`Checkpoint of ${size} entries verified`);
    expect(await text(page, '#checkpoint-detail')).toMatch(/^signed by key e50cb82d\. Consistent: (first checkpoint this browser has seen of the log|the same as the checkpoint seen before|extends the checkpoint of \d+ entries seen before \(consistency proof verified\))\.$/);
    const rows = await tableRows(page);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row.proof).toBe(`verified: leaf ${row.seq - 1} in checkpoint ${size}`);
    expect(new Set((await proofStates(page)).values())).toEqual(new Set(['verified']));
  });

  it('shows a row it shows NOT verified once its entry is changed in the database, the others verified', async () => {
    const states = await proofStates(page);
    const ids = [...states.keys()];
    const target = ids[3]!;
    const { restore } = await tamperWithOldestEntry(target);
    try {
      await loaded(page, () => page.click('#apply'));
      const after = await proofStates(page);
      expect(after.get(target)).toBe('failed');
      expect(await text(page, `#rows tr[data-row-id="${target}"] td.proof`)).toBe('NOT verified: the entry does not recompute to the proof’s leaf');
      expect([...after].filter(([id]) => id !== target).every(([, state]) => state === 'verified')).toBe(true);
      expect(after.size).toBe(ids.length);
    } finally {
      await restore();
    }
    await loaded(page, () => page.click('#apply'));
    expect(new Set((await proofStates(page)).values())).toEqual(new Set(['verified']));
  });

  it('keeps the checkpoint it saw: shows entries past an older checkpoint as pending, then a larger one consistent, a smaller or forged one NOT consistent', async () => {
    // An older checkpoint, and a few entries past it.
    const older = await integrated();
    const admin = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
    expect((await gw.query(`{ citizens(first: 2) { edges { node { fullName } } } }`, undefined, admin)).errors).toBeUndefined();
    const latest = await integrated();
    expect(latest.size).toBeGreaterThan(older.size);

    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      const problems: string[] = [];
      watchProblems(fresh, problems);
      let served: string | null = older.note;
      await fresh.route('**/.well-known/access-log/checkpoint', (route) => (served === null ? route.continue() : route.fulfill({ status: 200, contentType: 'text/plain; charset=utf-8', body: served })));
      await signIn(fresh, auditorToken);
      expect(await fresh.getAttribute('#checkpoint', 'data-size')).toBe(String(older.size));
      expect(await fresh.getAttribute('#checkpoint', 'data-consistency')).toBe('first');
      let rows = await tableRows(fresh);
      const pending = rows.filter((r) => r.seq > older.size);
      expect(pending.length).toBe(latest.size - older.size);
      for (const row of rows) {
        expect(row.proof).toBe(row.seq > older.size ? `pending: not yet in checkpoint ${older.size} (integrated within about a second)` : `verified: leaf ${row.seq - 1} in checkpoint ${older.size}`);
      }

      // The latest: it extends the one seen, by a consistency proof the page verified.
      served = null;
      await loaded(fresh, () => fresh.click('#apply'));
      expect(await fresh.getAttribute('#checkpoint', 'data-consistency')).toBe('consistent');
      expect(await text(fresh, '#checkpoint-detail')).toBe(`signed by key e50cb82d. Consistent: extends the checkpoint of ${older.size} entries seen before (consistency proof verified).`);
      rows = await tableRows(fresh);
      for (const row of rows) expect(row.proof).toBe(`verified: leaf ${row.seq - 1} in checkpoint ${latest.size}`);

      // Back to the older one: the log would have shrunk.
      served = older.note;
      await loaded(fresh, () => fresh.click('#apply'));
      expect(await fresh.getAttribute('#checkpoint', 'data-state')).toBe('bad');
      expect(await text(fresh, '#checkpoint-detail')).toContain(`NOT consistent: a checkpoint of ${latest.size} entries was seen before: the log now has ${older.size}`);

      // A checkpoint of the same size with another root, signed by the log's key (a rewritten log): not consistent, and no row leads to it.
      const origin = 'city-data-gateway.test/access-log';
      served = parseSignerKey(TEST_ACCESS_LOG_SIGNING_KEY).sign(checkpointText(origin, latest.size, Buffer.alloc(32, 7)));
      await loaded(fresh, () => fresh.click('#apply'));
      expect(await fresh.getAttribute('#checkpoint', 'data-consistency')).toBe('inconsistent');
      expect(await text(fresh, '#checkpoint-detail')).toContain(`NOT consistent: the checkpoint of ${latest.size} entries seen before has another root: the log was rewritten`);
      rows = await tableRows(fresh);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.proof).toBe(`NOT verified: the proof leads to another checkpoint (${latest.size}) than the one verified above`);

      // Signed by a key the log does not list: nothing verifies.
      served = parseSignerKey(generateSignerKey(origin)).sign(checkpointText(origin, latest.size, Buffer.alloc(32, 7)));
      await loaded(fresh, () => fresh.click('#apply'));
      expect(await fresh.getAttribute('#checkpoint', 'data-state')).toBe('bad');
      expect(await text(fresh, '#checkpoint-state')).toBe('Checkpoint NOT verified');
      expect(await text(fresh, '#checkpoint-detail')).toContain('the latest checkpoint does not verify: the checkpoint carries no signature of city-data-gateway.test/access-log');
      expect(new Set((await proofStates(fresh)).values())).toEqual(new Set(['failed']));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('filters by outcome', async () => {
    await loaded(page, async () => {
      await page.selectOption('#outcome', 'DENIED');
      await page.click('#apply');
    });
    const rows = await tableRows(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.outcome === 'DENIED' && r.role === 'public')).toBe(true);
    expect(await text(page, '#total')).toBe(String(await countInDatabase('DENIED')));

    await loaded(page, async () => {
      await page.selectOption('#outcome', 'GRANTED');
      await page.click('#apply');
    });
    const granted = await tableRows(page);
    expect(granted.every((r) => r.outcome === 'GRANTED' && r.purpose === 'CITIZEN_REQUEST')).toBe(true);
    expect(await text(page, '#total')).toBe(String(await countInDatabase('GRANTED')));

    // FOUND_BY: the people found by personal fields, read (the admin's list ordered by name) or not.
    await loaded(page, async () => {
      await page.selectOption('#outcome', 'FOUND_BY');
      await page.click('#apply');
    });
    const found = await tableRows(page);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((r) => r.foundBy !== '')).toBe(true);
    const { rows: [expected] } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log where outcome = 'FOUND_BY' or cardinality(found_by) > 0`.execute(root());
    expect(await text(page, '#total')).toBe(String(expected!.n));
  });

  it('pages forward and back with cursors', async () => {
    await loaded(page, async () => {
      await page.click('#clear');
    });
    await loaded(page, async () => {
      await page.selectOption('#size', '10');
      await page.click('#apply');
    });
    const total = await countInDatabase();
    const first = await tableRows(page);
    expect(first).toHaveLength(10);
    expect(await page.isDisabled('#prev')).toBe(true);

    await loaded(page, () => page.click('#next'));
    const second = await tableRows(page);
    expect(await text(page, '#range')).toBe('11–20');
    expect(second[0]!.seq).toBe(first.at(-1)!.seq - 1);
    expect(await page.isDisabled('#prev')).toBe(false);

    await loaded(page, () => page.click('#prev'));
    expect(await tableRows(page)).toEqual(first);
    expect(await text(page, '#range')).toBe('1–10');
    expect(await page.isDisabled('#prev')).toBe(true);

    // Walking to the end visits every entry once, newest first.
    const seen = [...first];
    while (!(await page.isDisabled('#next'))) {
      await loaded(page, () => page.click('#next'));
      seen.push(...(await tableRows(page)));
    }
    expect(seen.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(await text(page, '#range')).toBe(`${Math.floor((total - 1) / 10) * 10 + 1}–${total}`);
  });

  it('shows the log intact, and NOT intact with the problem once it is tampered with', async () => {
    // Entries were added since the sign-in's verification: verify the log as it is now.
    await verified(page, () => page.click('#verify'));
    await page.locator('#verification[data-state="ok"]').waitFor();
    expect(await text(page, '#verification-state')).toBe('Intact');
    const total = await countInDatabase();
    expect(await text(page, '#verification-detail')).toContain(`All ${total} entries verify`);

    const { firstId, restore } = await tamperWithOldestEntry();
    try {
      await verified(page, () => page.click('#verify'));
      expect(await page.getAttribute('#verification', 'data-state')).toBe('bad');
      expect(await text(page, '#verification-state')).toBe('NOT intact');
      const detail = await text(page, '#verification-detail');
      expect(detail).toContain('Problem CHANGED');
      expect(detail).toContain(`first bad entry id ${firstId}`);
      // The tampered entry, the oldest, is on the last page shown: it is marked.
      expect(await page.locator(`#rows tr.bad[data-row-id="${firstId}"]`).count()).toBe(1);
    } finally {
      // The next scenarios (production) start from an intact log.
      await restore();
    }
    await verified(page, () => page.click('#verify'));
    expect(await page.getAttribute('#verification', 'data-state')).toBe('ok');
    expect(await page.locator('#rows tr.bad').count()).toBe(0);
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });

  it('shows FORBIDDEN plainly to a token that is not an auditor', async () => {
    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      await signIn(other, await mintDevToken(gw.databases.config.auth, { role: 'analyst' }));
      await other.locator('#error').waitFor({ state: 'visible' });
      expect(await text(other, '#error')).toContain('FORBIDDEN: The access log is for auditors and admins');
      expect(await tableRows(other)).toEqual([]);
      expect(await text(other, '#total')).toBe('–');
      await other.locator('#verification[data-checks="1"]').waitFor({ state: 'attached' });
      expect(await text(other, '#verification-state')).toBe('Not verified');
      expect(await text(other, '#verification-detail')).toContain('FORBIDDEN');
    } finally {
      await context.close();
    }
  });
});

describe("the auditor's page against a production gateway (trusted documents only, the identity provider's tokens)", () => {
  let context: BrowserContext;
  let prod: Page;
  const problems: string[] = [];
  /** The GraphQL requests the page sent. */
  const sent: Array<{
    operationName?: string;
    query?: unknown;
    variables?: Record<string, unknown>;
    extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
  }> = [];
  let auditor: string;

  beforeAll(async () => {
    context = await browser.newContext();
    prod = await context.newPage();
    watchProblems(prod, problems);
    prod.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') sent.push(request.postDataJSON() as (typeof sent)[number]);
    });
    auditor = await idp.token({ sub: 'auditor-01', role: 'auditor' });
  });

  afterAll(async () => {
    await context?.close();
  });

  /** The manifest's name of a hash: the operation of its document. */
  const operationOf = (hash: string) => /\b(query|mutation) (\w+)/.exec(MANIFEST[hash] ?? '')?.[2];

  it('refuses what is not a trusted document (the text the page used to send), and serves the page and its script', async () => {
    const handWritten = 'query AuditLogVerification { accessLogVerification { intact checked firstBadId problem verifiedAt } }';
    const answer = await fetch(production.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auditor}` },
      body: JSON.stringify({ query: handWritten }),
    });
    const body = (await answer.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(body.data ?? null).toBeNull();

    const html = await fetch(`${productionBase}/audit`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("require-trusted-types-for 'script'");
    const script = await fetch(`${productionBase}/audit/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('signs in with an RS256 token and lists the newest entries, each request naming a manifest document by its hash', async () => {
    await signIn(prod, auditor, productionBase);
    expect(await text(prod, '#who')).toContain('auditor-01 (role auditor)');
    expect(await text(prod, '#error')).toBe('');
    const total = await countInDatabase();
    expect(await text(prod, '#total')).toBe(String(total));
    expect(await text(prod, '#range')).toBe('1–20');
    const rows = await tableRows(prod);
    expect(rows).toHaveLength(20);
    expect(rows[0]!.seq).toBe(total);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => b - a));
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['GRANTED', 'DENIED']));
    expect(rows.filter((r) => r.outcome === 'GRANTED').map((r) => r.foundBy)).toContain('fullName');
    // Each row verified against the checkpoint the page verified, through the manifest's document.
    expect(await prod.getAttribute('#checkpoint', 'data-size')).toBe(String(total));
    for (const row of rows) expect(row.proof).toBe(`verified: leaf ${row.seq - 1} in checkpoint ${total}`);

    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const request of sent) {
      expect(request.query).toBeUndefined();
      expect(request.extensions?.persistedQuery?.version).toBe(1);
      expect(operationOf(request.extensions!.persistedQuery!.sha256Hash)).toBe(request.operationName);
    }
    expect(new Set(sent.map((r) => r.operationName))).toEqual(new Set(['AuditorAccessLog', 'AccessLogVerification']));
  });

  it('pages forward and back with cursors, by the hash of the same trusted document', async () => {
    await loaded(prod, async () => {
      await prod.selectOption('#size', '10');
      await prod.click('#apply');
    });
    const first = await tableRows(prod);
    expect(first).toHaveLength(10);
    expect(await prod.isDisabled('#prev')).toBe(true);

    await loaded(prod, () => prod.click('#next'));
    const second = await tableRows(prod);
    expect(await text(prod, '#range')).toBe('11–20');
    expect(second[0]!.seq).toBe(first.at(-1)!.seq - 1);

    await loaded(prod, () => prod.click('#prev'));
    expect(await tableRows(prod)).toEqual(first);
    expect(await text(prod, '#range')).toBe('1–10');
    expect(await prod.isDisabled('#prev')).toBe(true);
    // The page back: `last` entries `before` the first one shown.
    const back = sent.at(-1)!;
    expect(operationOf(back.extensions!.persistedQuery!.sha256Hash)).toBe('AuditorAccessLog');
    expect(back.variables).toMatchObject({ first: null, last: 10, before: expect.any(String) });

    await loaded(prod, async () => {
      await prod.selectOption('#outcome', 'DENIED');
      await prod.click('#apply');
    });
    const denied = await tableRows(prod);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((r) => r.outcome === 'DENIED')).toBe(true);
    expect(await text(prod, '#total')).toBe(String(await countInDatabase('DENIED')));
  });

  it('shows the log intact, and NOT intact once it is tampered with', async () => {
    await prod.locator('#verification[data-state="ok"]').waitFor();
    expect(await text(prod, '#verification-state')).toBe('Intact');
    expect(await text(prod, '#verification-detail')).toContain(`All ${await countInDatabase()} entries verify`);

    const { firstId, restore } = await tamperWithOldestEntry();
    try {
      await verified(prod, () => prod.click('#verify'));
      expect(await prod.getAttribute('#verification', 'data-state')).toBe('bad');
      expect(await text(prod, '#verification-state')).toBe('NOT intact');
      expect(await text(prod, '#verification-detail')).toContain(`Problem CHANGED (an entry was altered after it was written), first bad entry id ${firstId}`);
    } finally {
      await restore();
    }
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
    expect(sent.every((request) => request.query === undefined)).toBe(true);
  });
});
