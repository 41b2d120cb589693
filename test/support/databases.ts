import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { openConnections, type Connections } from '../../src/platform/db/connection.js';
import { migrateAll } from '../../src/modules/migrate.js';
import { SOURCE_NAMES } from '../../src/modules/index.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from './access-log-key.js';
import { sourceUrlVariable } from '../../src/platform/db/source-names.js';
import { scaleNamed, seedAll } from '../../src/seed/index.js';

/**
 * Tests run on embedded PGlite by default, and on the PostgreSQL server with
 * TEST_DATABASE=postgres (`npm run test:postgres`), each source in a database of its own that
 * the test creates and drops.
 */
export const TEST_BACKEND = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'embedded';
/** GRAPHQL_EXECUTOR reaches the suites' gateways: jit by default, `graphql-js` runs them on graphql-js (src/server/execution). */
const EXECUTOR: Record<string, string> = process.env.GRAPHQL_EXECUTOR ? { GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR } : {};
const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabases {
  config: Config;
  /** Environment variables that point a gateway process at the same databases. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** Creates empty databases (one per source) on the server, or an in-memory embedded config. */
export async function createTestDatabases(): Promise<TestDatabases> {
  if (TEST_BACKEND === 'embedded') {
    const env = { DATA_DIR: 'memory://', ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY, ...EXECUTOR };
    return { config: loadConfig(env), env, drop: async () => undefined };
  }
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const env: Record<string, string> = { ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY, ...EXECUTOR };
  const names: string[] = [];
  try {
    for (const source of SOURCE_NAMES) {
      const name = `gw_test_${source}_${suffix}`;
      await admin.query(`create database ${name}`);
      names.push(name);
      const url = new URL(SERVER_URL);
      url.pathname = `/${name}`;
      env[sourceUrlVariable(source)] = url.toString();
    }
  } finally {
    await admin.end();
  }
  return {
    config: loadConfig(env),
    env,
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        for (const name of names) await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface SeededDatabases extends TestDatabases {
  connections: Connections;
  close(): Promise<void>;
}

/** Test databases migrated and seeded at a scale (tiny by default: quick on 2 cores). */
export async function seededDatabases(scale = 'tiny', seed = 20241031): Promise<SeededDatabases> {
  const databases = await createTestDatabases();
  const connections = await openConnections(databases.config);
  await migrateAll(connections);
  await seedAll(connections, scaleNamed(scale), seed);
  return {
    ...databases,
    connections,
    async close() {
      await connections.close();
      await databases.drop();
    },
  };
}
