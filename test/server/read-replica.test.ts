import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrimary, startReplica, type PgCluster } from '../../scripts/lib/pg-cluster.js';
import { scaleNamed, seedAll } from '../../src/seed/index.js';
import { mintDevToken } from '../../src/auth/tokens.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { openConnections, replicaHealth, type Connections } from '../../src/platform/db/connection.js';
import { countedOn, QueryStats } from '../../src/platform/db/query-stats.js';
import { migrateAll } from '../../src/modules/migrate.js';
import { TEST_BACKEND } from '../support/databases.js';

/**
 * Read replicas per source on a real streaming replica: a PostgreSQL 15 primary and a hot
 * standby made from it with pg_basebackup (scripts/lib/pg-cluster.ts), both in this test's own
 * folder on free ports — the machine's server at 5432 allows no replication and is not touched.
 */

describe('read replica settings', () => {
  const primary = 'postgres://postgres@127.0.0.1:5999/postgres';
  const replica = 'postgres://postgres@127.0.0.1:5998/postgres';

  it('<SOURCE>_READ_DATABASE_URL wins over DATABASE_READ_URL, which every other source with a server takes', () => {
    const config = loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: replica, POPULATION_READ_DATABASE_URL: replica.replace('5998', '5997') });
    expect(config.sources.population).toMatchObject({ readUrl: replica.replace('5998', '5997'), readVariable: 'POPULATION_READ_DATABASE_URL' });
    expect(config.sources.audit).toMatchObject({ readUrl: replica, readVariable: 'DATABASE_READ_URL' });
    expect(config.readReplicaMaxLagMs).toBe(5_000);
  });

  it('a read URL for a source without a server is refused, naming both variables', () => {
    expect(() => loadConfig({ POPULATION_READ_DATABASE_URL: replica })).toThrow(ConfigError);
    expect(() => loadConfig({ POPULATION_READ_DATABASE_URL: replica })).toThrow(/POPULATION_READ_DATABASE_URL gives the population source a read replica, but the source has no PostgreSQL server \(set POPULATION_DATABASE_URL or DATABASE_URL\)/);
    expect(() => loadConfig({ READ_REPLICA_MAX_LAG_MS: 'soon', DATABASE_URL: primary })).toThrow(/READ_REPLICA_MAX_LAG_MS must be a whole number/);
  });
});

interface Answer {
  status: number;
  data?: { citizens: { totalCount: number; edges: Array<{ node: { fullName: string } }> }; agencies: { edges: unknown[] } };
  errors?: unknown[];
  extensions?: { sqlStatements?: { total: number; bySource: Record<string, number>; byTarget?: Record<string, { primary: number; replica: number }> } };
}

interface Readiness {
  status: number;
  body: { status: string; sources: Record<string, { status: string }>; replicas?: Record<string, { status: string; reason?: string }> };
}

const LIST = '{ citizens(first: 5) { totalCount edges { node { fullName } } } agencies(first: 3) { edges { node { code } } } }';

describe.runIf(TEST_BACKEND === 'postgres')('reads on a streaming replica, writes and fallback on the primary', () => {
  let folder: string;
  let primary: PgCluster | undefined;
  let replica: PgCluster | undefined;
  let maintenance: Connections | undefined;
  let gateway: RunningGateway | undefined;
  let headers: Record<string, string>;
  /** The gateway's log lines about the population replica. */
  const replicaLog: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { level: number; msg: string; source?: string; replica?: string };
          if (entry.replica && entry.source === 'population') replicaLog.push({ level: entry.level, msg: entry.msg });
        }
        done();
      },
    }),
  );

  async function query(): Promise<Answer> {
    const response = await fetch(gateway!.url, { method: 'POST', headers, body: JSON.stringify({ query: LIST }) });
    return { status: response.status, ...((await response.json()) as object) };
  }

  async function readiness(): Promise<Readiness> {
    const response = await fetch(gateway!.url.replace(/\/graphql$/, '/readyz'));
    return { status: response.status, body: (await response.json()) as Readiness['body'] };
  }

  /** gateway_sql_statements_total by `source/target`, and access-log entries written, from /metrics. */
  async function statementMetrics(): Promise<Record<string, number>> {
    const text = await (await fetch(gateway!.url.replace(/\/graphql$/, '/metrics'))).text();
    const counts: Record<string, number> = {};
    for (const match of text.matchAll(/^gateway_sql_statements_total\{source="(\w+)",target="(\w+)"\} (\d+)$/gm)) counts[`${match[1]}/${match[2]}`] = Number(match[3]);
    counts.accessLogEntries = Number(/^gateway_access_log_entries_total (\d+)$/m.exec(text)?.[1] ?? 0);
    return counts;
  }

  async function one<T>(url: string, text: string): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows[0] as T;
    } finally {
      await client.end();
    }
  }

  /** Waits until the replica has replayed everything the primary has written so far. */
  async function replicaCaughtUp(): Promise<void> {
    const { lsn } = await one<{ lsn: string }>(primary!.url, 'select pg_current_wal_lsn()::text as lsn');
    for (let attempt = 0; ; attempt += 1) {
      const { done } = await one<{ done: boolean }>(replica!.url, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as done`);
      if (done) return;
      if (attempt === 300) throw new Error(`replica did not replay up to ${lsn}`);
      await sleep(100);
    }
  }

  const accessLogRows = async () => Number((await one<{ n: string }>(primary!.url, 'select count(*) as n from audit.access_log')).n);

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gw-replica-'));
    primary = await startPrimary({ dir: join(folder, 'primary'), port: await freePort() });
    // Migrations and seeds go to the primary (maintenance connections open no replica).
    maintenance = await openConnections(loadConfig({ DATABASE_URL: primary.url }), { maintenance: true });
    await migrateAll(maintenance);
    await seedAll(maintenance, scaleNamed('tiny'), 20241031);
    replica = await startReplica({ dir: join(folder, 'replica'), port: await freePort(), primaryPort: primary.port });
    await replicaCaughtUp();
    const config = loadConfig({
      DATABASE_URL: primary.url,
      // Every source reads from the replica; population names it itself (the per-source variable).
      DATABASE_READ_URL: replica.url,
      POPULATION_READ_DATABASE_URL: replica.url,
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    gateway = await startGateway(config, { port: 0, logger });
    headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${await mintDevToken(config.auth, { role: 'admin' })}`,
      'x-purpose': 'CITIZEN_REQUEST',
    };
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await maintenance?.close();
    await replica?.stop();
    await primary?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('a list is read from the replica; its access-log entries are written on the primary only', async () => {
    const logBefore = await accessLogRows();
    const before = await statementMetrics();
    const answer = await query();
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data!.citizens.edges).toHaveLength(5);
    const stats = answer.extensions!.sqlStatements!;
    // Every statement of the data went to the replica: none to either primary.
    expect(stats.byTarget).toEqual({
      population: { primary: 0, replica: stats.bySource.population },
      reference: { primary: 0, replica: stats.bySource.reference },
    });
    expect(stats.bySource.population).toBeGreaterThan(0);

    // Every entry the gateway wrote is on the primary (the append is a transaction: never routed).
    const after = await statementMetrics();
    const moved = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    expect(moved('accessLogEntries')).toBeGreaterThanOrEqual(5);
    expect((await accessLogRows()) - logBefore).toBe(moved('accessLogEntries'));
    expect(moved('population/replica')).toBe(stats.bySource.population);
    expect(moved('population/primary')).toBe(0);
    expect(moved('audit/replica')).toBe(0);
    expect(moved('audit/primary')).toBeGreaterThan(0);

    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body.replicas?.population).toMatchObject({ status: 'up' });
  });

  it('the replica stopped: the same query answers from the primary; /readyz names the replica down and stays 200', async () => {
    const healthy = await query();
    await replica!.pause();
    const answer = await query();
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data).toEqual(healthy.data);
    const stats = answer.extensions!.sqlStatements!;
    expect(stats.byTarget).toEqual({
      population: { primary: stats.bySource.population, replica: 0 },
      reference: { primary: stats.bySource.reference, replica: 0 },
    });
    expect(stats.total).toBe(healthy.extensions!.sqlStatements!.total);

    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(Object.values(ready.body.sources).every((source) => source.status === 'up')).toBe(true);
    expect(ready.body.replicas?.population).toMatchObject({ status: 'down', reason: expect.stringMatching(/ECONNREFUSED|terminat|shut/i) });
    expect(ready.body.replicas?.audit).toMatchObject({ status: 'down' });
    // Told once, not per statement.
    expect(replicaLog).toEqual([{ level: 40, msg: 'read replica of population is down: its reads go to the primary' }]);
  });

  it('the replica started again: once it is healthy, reads return to it by themselves', async () => {
    await replica!.resume();
    await replicaCaughtUp();
    // /readyz samples each replica now (the background check would get there within a second).
    const ready = await readiness();
    expect(ready.body.replicas?.population).toMatchObject({ status: 'up' });
    const answer = await query();
    expect(answer.errors).toBeUndefined();
    const stats = answer.extensions!.sqlStatements!;
    expect(stats.byTarget!.population).toEqual({ primary: 0, replica: stats.bySource.population });
    expect(stats.byTarget!.reference).toEqual({ primary: 0, replica: stats.bySource.reference });
    expect(replicaLog.at(-1)).toEqual({ level: 30, msg: 'read replica of population is back: reads go to it again' });
    expect(replicaLog).toHaveLength(2);
  });

  it('a replica behind its primary by more than READ_REPLICA_MAX_LAG_MS is skipped until it catches up', async () => {
    // A lag limit of 0: any write received but not replayed makes the replica lagging.
    const connections = await openConnections(loadConfig({ DATABASE_URL: primary!.url, POPULATION_READ_DATABASE_URL: replica!.url, READ_REPLICA_MAX_LAG_MS: '0' }));
    const read = async () => {
      const stats = new QueryStats();
      await countedOn(connections.sources.population.db, 'population', stats).selectFrom('citizens').select('id').limit(1).execute();
      return stats.byTarget.population;
    };
    try {
      // The access log of the queries above, replayed: nothing received is left to replay.
      await replicaCaughtUp();
      expect(await replicaHealth(connections)).toEqual({ population: { status: 'up', lagMs: 0 } });
      expect(await read()).toEqual({ primary: 0, replica: 1 });

      await one(replica!.url, 'select pg_wal_replay_pause()');
      await one(primary!.url, 'create table public.lag_probe as select now() as at');
      const { lsn } = await one<{ lsn: string }>(primary!.url, 'select pg_current_wal_lsn()::text as lsn');
      for (let attempt = 0; !(await one<{ got: boolean }>(replica!.url, `select pg_last_wal_receive_lsn() >= '${lsn}'::pg_lsn as got`)).got; attempt += 1) {
        if (attempt === 300) throw new Error('the replica did not receive the write');
        await sleep(100);
      }
      expect((await replicaHealth(connections))?.population).toMatchObject({ status: 'lagging' });
      expect(await read()).toEqual({ primary: 1, replica: 0 });

      await one(replica!.url, 'select pg_wal_replay_resume()');
      await replicaCaughtUp();
      expect((await replicaHealth(connections))?.population).toMatchObject({ status: 'up' });
      expect(await read()).toEqual({ primary: 0, replica: 1 });
    } finally {
      await one(replica!.url, 'select pg_wal_replay_resume()').catch(() => undefined);
      await connections.close();
    }
  });
});
