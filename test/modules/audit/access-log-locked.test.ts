import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../../src/auth/tokens.js';
import { loadConfig } from '../../../src/config.js';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.js';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { migrateAll } from '../../../src/modules/migrate.js';
import { seededDatabases, TEST_BACKEND, type SeededDatabases } from '../../support/databases.js';

/**
 * The access log held by someone else (a long transaction holding its table): requests that read
 * personal data wait for their entries no longer than the audit source's statement timeout plus
 * a small margin, and then withhold the personal data (fail closed), one request as much as the
 * next: a batch that fails (or hangs) does not make the batches after it wait for it.
 *
 * - PostgreSQL: another client holds `lock table audit.access_log in access exclusive mode`.
 * - Embedded: the audit source on a PGlite database of its own (the others on the seeded one),
 *   and a transaction on it that holds the same lock and does not commit. PGlite has one
 *   connection, so the gateway's appends wait behind that transaction, and PGlite has no
 *   statement timeout: only the gateway's own bound ends the wait.
 */

const STATEMENT_TIMEOUT_MS = 2_000;
/** What the gateway adds to the statement timeout (src/server/app.ts), and what a request costs besides the log (generous). */
const MARGIN_MS = 500;
const REST_OF_REQUEST_MS = 1_000;
/** Requests every 150 ms for about 2.5 statement timeouts: later ones arrive while earlier batches fail. */
const REQUESTS = 32;
const SPACING_MS = 150;

const QUERY = `query($n: String!) { agencies(first: 1) { edges { node { code } } } citizen(nationalId: $n) { fullName birthDate } }`;

interface Answer {
  ms: number;
  data?: { agencies: unknown; citizen: { fullName: string | null; birthDate: string | null } | null };
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

describe(`requests while the access log is locked (${TEST_BACKEND})`, () => {
  let databases: SeededDatabases;
  let audit: Connections | undefined;
  let gateway: RunningGateway;
  let headers: Record<string, string>;
  let nationalId: string;
  const logLines: Array<{ level: number; msg: string; source?: string; err?: unknown; stack?: unknown }> = [];
  let release: (() => Promise<void>) | undefined;
  let person: { fullName: string };

  async function query(): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: QUERY, variables: { n: nationalId } }) });
    const body = (await response.json()) as Omit<Answer, 'ms'>;
    return { ms: performance.now() - started, ...body };
  }

  /** Holds the access log until the returned function is called. */
  async function lockTheLog(): Promise<() => Promise<void>> {
    if (TEST_BACKEND === 'postgres') {
      const client = new pg.Client({ connectionString: databases.env.AUDIT_DATABASE_URL });
      await client.connect();
      await client.query('begin');
      await client.query('lock table audit.access_log in access exclusive mode');
      return async () => {
        await client.query('rollback');
        await client.end();
      };
    }
    let unlock!: () => void;
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const transaction = audit!.sources.audit.root.transaction().execute(async (tx) => {
      await sql`lock table audit.access_log in access exclusive mode`.execute(tx);
      locked();
      await unlocked;
    });
    await holding;
    return async () => {
      unlock();
      await transaction;
    };
  }

  beforeAll(async () => {
    databases = await seededDatabases('tiny');
    const env = { ...databases.env, DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) };
    const config = loadConfig(env);
    let connections: Connections | undefined;
    if (TEST_BACKEND === 'embedded') {
      audit = await openConnections(loadConfig({ DATA_DIR: 'memory://' }));
      await migrateAll(audit);
      connections = { ...databases.connections, sources: { ...databases.connections.sources, audit: audit.sources.audit } };
    }
    const lines = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
        done();
      },
    });
    // PostgreSQL: the gateway opens its own pools, with the statement timeout of this config.
    gateway = await startGateway(config, { port: 0, connections, logger: pino({ level: 'info' }, lines) });
    headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${await mintDevToken(config.auth, { role: 'admin' })}`,
      'x-purpose': 'CITIZEN_REQUEST',
    };
    const { rows } = await sql<{ national_id: string }>`select national_id from population.citizens order by id limit 1`.execute(databases.connections.sources.population.root);
    nationalId = rows[0]!.national_id;
  });

  afterAll(async () => {
    await release?.();
    await gateway?.close();
    await audit?.close();
    await databases?.close();
  });

  it('with the log free, the personal data is served', async () => {
    const answer = await query();
    expect(answer.errors).toBeUndefined();
    person = { fullName: answer.data!.citizen!.fullName! };
    expect(person.fullName).toEqual(expect.any(String));
  });

  it('locked: every request withholds the personal data within the statement timeout plus a margin', async () => {
    release = await lockTheLog();
    const answers: Answer[] = [];
    const running: Array<Promise<void>> = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      running.push(query().then((answer) => void answers.push(answer)));
      await sleep(SPACING_MS);
    }
    await Promise.all(running);
    const longest = Math.max(...answers.map((a) => a.ms));
    console.log(`access log locked (${TEST_BACKEND}): ${answers.length} requests, longest ${Math.round(longest)} ms, median ${Math.round(answers.map((a) => a.ms).sort((a, b) => a - b)[answers.length >> 1]!)} ms (statement timeout ${STATEMENT_TIMEOUT_MS} ms)`);
    for (const answer of answers) {
      // Fail closed: nothing of the person leaves (the citizen, or each of its fields, is null),
      // every error names the audit source; the rest is served.
      expect(JSON.stringify(answer.data)).not.toContain(person.fullName);
      expect(answer.data!.citizen?.fullName ?? null).toBeNull();
      expect(answer.data!.agencies).toBeTruthy();
      expect(answer.errors!.length).toBeGreaterThan(0);
      for (const error of answer.errors!) expect(error.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'audit' });
    }
    expect(longest).toBeLessThanOrEqual(STATEMENT_TIMEOUT_MS + MARGIN_MS + REST_OF_REQUEST_MS);
  }, 120_000);

  it('released: served again, and the chain is intact', async () => {
    await release!();
    release = undefined;
    const answer = await query();
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.citizen!.fullName).toEqual(expect.any(String));
    const auditor = { ...headers, authorization: `Bearer ${await mintDevToken(loadConfig(databases.env).auth, { role: 'auditor' })}` };
    const response = await fetch(gateway.url, { method: 'POST', headers: auditor, body: JSON.stringify({ query: '{ accessLogVerification { intact } }' }) });
    expect(((await response.json()) as { data: { accessLogVerification: { intact: boolean } } }).data.accessLogVerification.intact).toBe(true);
  });

  it('logged once when the log became unavailable and once when it was back, at warn, without stacks', () => {
    // The integrator's own lease line (which replica sequences the tree) is not about the outage.
    const about = logLines.filter((l) => (l.source === 'audit' || /access log/.test(l.msg)) && !/^access log integrator: this replica holds the lease/.test(l.msg));
    expect(about.map((l) => [l.level, l.msg])).toEqual([
      [40, 'the audit source is unavailable'],
      [40, 'the audit source is available again'],
    ]);
    expect(logLines.filter((l) => l.level >= 50)).toEqual([]);
    expect(JSON.stringify(about)).not.toMatch(/"stack"/);
  });
});
