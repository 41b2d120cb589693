/**
 * Subscription latency (not a test): the delay from a write in a source database to the event
 * at a graphql-ws client, on PostgreSQL.
 *
 *   node --import tsx scripts/subscription-latency.ts               # 200 writes
 *   node --import tsx scripts/subscription-latency.ts --writes 500 --subscribers 20
 *
 * Creates one database per source on POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * migrates and seeds them (tiny), starts a gateway in this process on a free port, opens
 * `--subscribers` admin subscriptions to `observationAdded` over WebSocket, and then, one at a
 * time, inserts an observation through a connection of its own (as a department's system
 * would: autocommit, so the NOTIFY goes at the insert's commit) and waits for every subscriber
 * to receive it. The delay is from just before the INSERT is sent to the event's arrival at
 * each subscriber (the client is in the same process: the same clock). Prints p50, p90, p99 and
 * the largest delay, and the machine's load; drops the databases at the end.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { WebSocket } from 'ws';
import { mintDevToken } from '../src/auth/tokens.js';
import { gatewaySubscriptions } from '../src/clients/subscribe.js';
import { loadConfig } from '../src/config.js';
import { LiveObservationsDocument } from '../src/generated/graphql.js';
import { SOURCE_NAMES } from '../src/modules/index.js';
import { migrateAll } from '../src/modules/migrate.js';
import { openConnections } from '../src/platform/db/connection.js';
import { toGlobalId } from '../src/platform/relay/global-id.js';
import { sourceUrlVariable } from '../src/platform/db/source-names.js';
import { scaleNamed, seedAll } from '../src/seed/index.js';
import { startGateway } from '../src/server/gateway.js';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '200' }, subscribers: { type: 'string', default: '1' } }, strict: true });
const WRITES = Number(values.writes);
const SUBSCRIBERS = Number(values.subscribers);
const SERVER = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The tests' public checkpoint key: this gateway's log is thrown away with its databases. */
const SIGNING_KEY = 'PRIVATE+KEY+city-data-gateway.test/access-log+e50cb82d+Afq9cfpFJ/jQP8dPGXFmqODiZ77ARDmEAgzfZKng+aFD';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const names = SOURCE_NAMES.map((source) => ({ source, database: `gw_latency_${source}_${suffix}` }));
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
// One subject holds every subscription here: the per-subject limit is raised to their number.
const env: Record<string, string> = { ACCESS_LOG_SIGNING_KEY: SIGNING_KEY, LOG_LEVEL: 'warn', SUBSCRIPTIONS_PER_SUBJECT: String(Math.max(10, SUBSCRIBERS)) };
for (const { source, database } of names) {
  await admin.query(`create database ${database}`);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  env[sourceUrlVariable(source)] = url.toString();
}

try {
  const config = loadConfig(env);
  const connections = await openConnections(config, { maintenance: true });
  await migrateAll(connections);
  await seedAll(connections, scaleNamed('tiny'), 20241031);
  await connections.close();

  const gateway = await startGateway(config, { port: 0 });
  const token = await mintDevToken(config.auth, { role: 'admin', subject: 'latency-script' });
  const client = gatewaySubscriptions({ url: gateway.url, token, webSocketImpl: WebSocket });
  const arrivals = new Map<string, number[]>();
  const waiters = new Map<string, () => void>();
  const iterators = Array.from({ length: SUBSCRIBERS }, () => client.subscribe(LiveObservationsDocument, {}));
  const readers = iterators.map(async (it) => {
    for await (const event of it) {
      const id = event.data?.observationAdded.id;
      if (!id) continue;
      const list = arrivals.get(id) ?? [];
      list.push(performance.now());
      arrivals.set(id, list);
      if (list.length === SUBSCRIBERS) waiters.get(id)?.();
    }
  });

  const writer = new pg.Client({ connectionString: env[sourceUrlVariable('ioc')] });
  writer.on('error', () => undefined);
  await writer.connect();
  const { rows } = await writer.query<{ id: number }>('select id from ioc.indicators order by id limit 1');
  const indicatorId = rows[0]!.id;
  let period = 0;
  const insert = async () => {
    const n = period++;
    const at = `${2400 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`;
    const start = performance.now();
    const result = await writer.query<{ id: string }>('insert into ioc.observations (indicator_id, period, ward_id, value) values ($1, $2, null, 1) returning id', [indicatorId, at]);
    return { id: toGlobalId('Observation', Number(result.rows[0]!.id)), start };
  };
  const once = async (): Promise<number[]> => {
    const { id, start } = await insert();
    // An event may arrive before the INSERT's answer: counted already, nothing to wait for.
    if ((arrivals.get(id)?.length ?? 0) < SUBSCRIBERS) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        waiters.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    waiters.delete(id);
    const times = arrivals.get(id) ?? [];
    arrivals.delete(id);
    if (times.length < SUBSCRIBERS) throw new Error(`observation ${id}: ${times.length} of ${SUBSCRIBERS} subscribers got it within 10 s`);
    return times.map((t) => t - start);
  };

  // The subscriptions are registered once a first event has come through.
  for (let attempt = 0; ; attempt++) {
    try {
      await once();
      break;
    } catch (error) {
      if (attempt > 10) throw error;
    }
  }
  for (let i = 0; i < 10; i++) await once(); // warm-up
  const load = loadavg();
  const cpu = process.cpuUsage();
  const delays: number[] = [];
  for (let i = 0; i < WRITES; i++) delays.push(...(await once()));
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1_000;
  delays.sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(`subscription latency, write -> graphql-ws client, PostgreSQL (${SERVER.replace(/\/\/[^@]*@/, '//')}), ${WRITES} writes x ${SUBSCRIBERS} subscriber(s):`);
  console.log(`  p50 ${f(percentile(delays, 50))}  p90 ${f(percentile(delays, 90))}  p99 ${f(percentile(delays, 99))}  max ${f(delays[delays.length - 1]!)}  mean ${f(delays.reduce((a, b) => a + b, 0) / delays.length)}`);
  console.log(`  this process's CPU during the writes: ${f(cpuMs)} (${f(cpuMs / WRITES)} per write, gateway and client together)`);
  console.log(`  load average before the writes: ${load.map((l) => l.toFixed(2)).join(' ')} (${availableParallelism()} cores)`);

  await Promise.all(iterators.map((it) => it.return?.()));
  await client.dispose();
  await Promise.allSettled(readers);
  await writer.end();
  await gateway.close();
} finally {
  for (const { database } of names) await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
}
