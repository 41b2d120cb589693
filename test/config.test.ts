import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_SECRET, loadConfig } from '../src/config.js';
import { SOURCE_NAMES } from '../src/modules/index.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from './support/access-log-key.js';
import { sourceUrlVariable } from '../src/platform/db/source-names.js';

/** Configuration is checked as a whole: every bad or missing variable is reported at once, in plain words. */

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the configuration');
}

const BAD = {
  MAX_QUERY_DEPTH: 'deep',
  MAX_QUERY_COST: '5',
  MAX_ALIASES: '1.5',
  MAX_BODY_BYTES: '-1',
  RATE_LIMIT_PER_MINUTE: 'lots',
  DB_POOL_SIZE: '0',
  POPULATION_STATEMENT_TIMEOUT_MS: '10',
  DB_CONNECT_TIMEOUT_MS: '1e9',
  PORT: '70000',
  NODE_ENV: 'staging',
  LOG_LEVEL: 'loud',
  SEED_SCALE: 'huge',
  POPULATION_DATABASE_URL: 'mysql://db.example/population',
  DATABASE_URL: 'not a url',
  REDIS_URL: 'http://cache.example:6379',
  AUTH_JWKS_URL: 'ftp://idp.example/jwks',
  CURSOR_SECRET: 'too-short',
  SUBGRAPH_ROUTER_TOKEN: 'short',
};

describe('loadConfig', () => {
  it('reports every bad variable at once, each by name with what it must be and what it got', () => {
    const problems = problemsOf(BAD);
    expect(problems).toHaveLength(Object.keys(BAD).length);
    for (const name of Object.keys(BAD)) {
      expect(problems.filter((p) => p.startsWith(`${name} `)), `${name} in:\n${problems.join('\n')}`).toHaveLength(1);
    }
    expect(problems).toContain('MAX_QUERY_DEPTH must be a whole number from 2 to 100, got "deep"');
    expect(problems).toContain('DB_POOL_SIZE must be a whole number from 1 to 200, got "0"');
    expect(problems).toContain('NODE_ENV must be one of development, production, test, got "staging"');
    expect(problems).toContain('POPULATION_DATABASE_URL must be a postgres: or postgresql:// URL, got mysql://');
    expect(problems).toContain('DATABASE_URL is not a valid URL');
    expect(problems).toContain('CURSOR_SECRET must be at least 32 characters');
    expect(problems).toContain('SUBGRAPH_ROUTER_TOKEN must be 32 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -');
    // Plain words: no stack, no JSON, no code names.
    for (const problem of problems) expect(problem).toMatch(/^[A-Z_]+ (must|is) [^{}\n]+$/);
  });

  it('the error message lists every problem, one a line', () => {
    try {
      loadConfig(BAD);
      expect.unreachable();
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      expect(lines[0]).toBe('Invalid configuration:');
      expect(lines.slice(1)).toEqual((error as ConfigError).problems.map((p) => `  - ${p}`));
    }
  });

  it('a single problem is one line', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^Invalid configuration: PORT must be a whole number from 0 to 65535, got "abc"$/);
  });

  it('SEED_ON_START: unset leaves the choice to the start (seed outside production), else true or false', () => {
    expect(loadConfig({}).seedOnStart).toBeUndefined();
    expect(loadConfig({ SEED_ON_START: 'true' }).seedOnStart).toBe(true);
    expect(loadConfig({ SEED_ON_START: '0' }).seedOnStart).toBe(false);
    expect(problemsOf({ SEED_ON_START: 'sometimes' })).toEqual(['SEED_ON_START must be true or false, got "sometimes"']);
  });

  it('production needs the identity provider, the cursor key and the log’s signing key, and refuses the development key', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'AUTH_JWKS_URL is required in production (the identity provider’s keys)',
      'CURSOR_SECRET is required in production (the key of pagination cursors, the same on every replica)',
      expect.stringMatching(/^ACCESS_LOG_SIGNING_KEY is required in production/),
    ]);
    const keys = { CURSOR_SECRET: 'x'.repeat(32), ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY };
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', ...keys, AUTH_DEV_SECRET: 'y'.repeat(40) })).toEqual([
      'AUTH_DEV_SECRET must not be set in production',
    ]);
    const production = loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', ...keys });
    expect(production.production).toBe(true);
    expect(production.auth.devSecret).toBeUndefined();
  });

  it('takes good values; per-source settings win over the shared ones', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db.example/city',
      BUSINESS_DATABASE_URL: 'postgresql://other.example/business',
      DB_POOL_SIZE: '7',
      DB_STATEMENT_TIMEOUT_MS: '3000',
      POPULATION_STATEMENT_TIMEOUT_MS: '800',
      IOC_POOL_SIZE: '2',
      DB_CONNECT_TIMEOUT_MS: '1000',
      MAX_QUERY_DEPTH: '8',
      RATE_LIMIT_PER_MINUTE: '0',
      REDIS_URL: 'redis://cache.example:6379',
    });
    expect(config.sources.population).toMatchObject({ url: 'postgres://db.example/city', variable: 'DATABASE_URL', poolSize: 7, statementTimeoutMs: 800, connectTimeoutMs: 1000 });
    expect(config.sources.business).toMatchObject({ url: 'postgresql://other.example/business', variable: 'BUSINESS_DATABASE_URL', statementTimeoutMs: 3000 });
    expect(config.sources.ioc.poolSize).toBe(2);
    expect(config.limits).toMatchObject({ maxDepth: 8, rateLimitPerMinute: 0 });
    expect(config.redisUrl).toBe('redis://cache.example:6379');
    expect(loadConfig({}).auth.devSecret).toBe(DEV_SECRET);
  });

  it('several replicas or a load balancer in front need PostgreSQL sources, not the embedded database', () => {
    const scaled = loadConfig({ DATABASE_URL: 'postgres://db.example/city', REPLICAS: '3', TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(scaled).toMatchObject({ replicas: 3, trustProxy: ['loopback', '10.0.0.0/8'] });
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example/city', TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({})).toMatchObject({ replicas: 1, trustProxy: undefined });
    // One process on its own database, not behind anything: the embedded default is fine.
    expect(loadConfig({ REPLICAS: '1', TRUST_PROXY: 'false' }).trustProxy).toBe(false);

    expect(problemsOf({ REPLICAS: '2' })).toEqual([expect.stringMatching(/^REPLICAS=2 .* every source uses the embedded database, .*: use a PostgreSQL server \(DATABASE_URL/)]);
    expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([expect.stringMatching(/^TRUST_PROXY=true .*behind a load balancer.*use a PostgreSQL server/)]);
    // A single source left on the embedded default is named.
    const allButAudit = Object.fromEntries(SOURCE_NAMES.filter((s) => s !== 'audit').map((s) => [sourceUrlVariable(s), `postgres://h/${s}`]));
    expect(problemsOf({ ...allButAudit, REPLICAS: '3' })).toEqual([expect.stringMatching(/but audit uses the embedded database/)]);
    expect(problemsOf({ REPLICAS: '0', TRUST_PROXY: 'the balancer' })).toEqual([
      expect.stringMatching(/^REPLICAS must be a whole number from 1/),
      expect.stringMatching(/^TRUST_PROXY must be true, false, a hop count, or addresses/),
    ]);
  });
});

describe('node --import tsx src/cli/start.ts (npm start) with a bad configuration', () => {
  it('exits non-zero before opening anything, printing every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli', 'start.ts')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...BAD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code, stderr).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('Invalid configuration:');
    for (const name of Object.keys(BAD)) expect(stderr, name).toMatch(new RegExp(`^  - ${name} `, 'm'));
    expect(stdout).not.toMatch(/ready/);
    // Plain words: no stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('node --import tsx src/cli/start.ts told it is scaled out on the embedded default', () => {
  it('refuses in one line that says to use a PostgreSQL server, and exits 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli', 'start.ts')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: 'memory://', REPLICAS: '3' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code, stderr).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: REPLICAS=3 .*embedded database.*use a PostgreSQL server/)]);
    expect(stdout).not.toMatch(/ready/);
  }, 60_000);
});
