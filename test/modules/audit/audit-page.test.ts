import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

// The auditor's page (/audit) in headless Chromium: the Debian package, which .ci/run installs.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let gw: TestGateway;
let browser: Browser;
let page: Page;
let base: string;
let auditorToken: string;
/** Script errors and CSP violations the page reported: there must be none. */
const pageProblems: string[] = [];

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
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console: ${message.text()} (${message.location().url})`);
  });
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
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
}

async function tableRows(on: Page): Promise<Row[]> {
  // The project compiles without the DOM library: the row is typed by the little it is used for.
  type TableRow = { cells: ArrayLike<{ textContent: string | null }> };
  const cells = await on.$$eval('#rows tr', (trs) => trs.map((tr) => Array.from((tr as unknown as TableRow).cells, (td) => td.textContent ?? '')));
  return cells.filter((c) => c.length === 10).map((c) => ({ seq: Number(c[0]), actor: c[2]!, role: c[3]!, purpose: c[5]!, outcome: c[9]! }));
}

const text = async (on: Page, selector: string) => ((await on.textContent(selector)) ?? '').trim();

async function signIn(on: Page, token: string): Promise<void> {
  await on.goto(`${base}/audit`);
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
    // The admin's list is ordered by name by default, an ordering on a personal field: FOUND_BY.
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['GRANTED', 'FOUND_BY', 'DENIED']));
    expect(await text(page, '#error')).toBe('');

    // The token stays in the tab's session storage: a reload signs in again by itself.
    await page.reload();
    await page.locator('#entries[data-loads="1"]').waitFor({ state: 'attached' });
    expect(await text(page, '#total')).toBe(String(total));
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
    await page.locator('#verification[data-state="ok"]').waitFor();
    expect(await text(page, '#verification-state')).toBe('Intact');
    const total = await countInDatabase();
    expect(await text(page, '#verification-detail')).toContain(`All ${total} entries verify`);

    const { rows } = await sql<{ id: number }>`select min(id)::int as id from audit.access_log`.execute(root());
    const firstId = rows[0]!.id;
    await sql`alter table audit.access_log disable trigger all`.execute(root());
    try {
      await sql`update audit.access_log set purpose = 'X' where id = ${firstId}`.execute(root());
    } finally {
      await sql`alter table audit.access_log enable trigger all`.execute(root());
    }

    await verified(page, () => page.click('#verify'));
    expect(await page.getAttribute('#verification', 'data-state')).toBe('bad');
    expect(await text(page, '#verification-state')).toBe('NOT intact');
    const detail = await text(page, '#verification-detail');
    expect(detail).toContain('Problem CHANGED');
    expect(detail).toContain(`first bad entry id ${firstId}`);
    // The tampered entry, the oldest, is on the last page shown: it is marked.
    expect(await page.locator(`#rows tr.bad[data-row-id="${firstId}"]`).count()).toBe(1);
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
