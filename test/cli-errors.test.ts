import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { LOCK_FILE } from '../src/platform/db/embedded-lock.js';
import { openConnections, type Connections } from '../src/platform/db/connection.js';

/**
 * What an operator sees when a command cannot go on: one line on stderr naming the real cause,
 * a non-zero exit, no stack. Each command runs as its own process, as `npm run …` runs it, with
 * a clean environment (no variable of this test run leaks in).
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli', script), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Exactly one line on stderr, matching `pattern`, and no stack frame. */
function expectOneLine(run: Run, pattern: RegExp): void {
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A server that speaks just enough of the PostgreSQL protocol to refuse the startup message the
 * way PostgreSQL does for a database that does not exist (FATAL 3D000), so that the case runs
 * without a server on the machine.
 */
function missingDatabaseServer(database: string): Server {
  return createServer((socket) => {
    socket.once('data', () => {
      const fields = Buffer.concat(
        [['S', 'FATAL'], ['V', 'FATAL'], ['C', '3D000'], ['M', `database "${database}" does not exist`]]
          .map(([type, value]) => Buffer.from(`${type}${value}\0`))
          .concat(Buffer.from('\0')),
      );
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([header, fields]));
    });
  });
}

describe('connection errors name the driver’s cause', () => {
  it('a refused connection: `connect ECONNREFUSED host:port`', async () => {
    const port = await closedPort();
    const run = await cli('migrate.ts', [], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/city` });
    expect(run.code).toBe(1);
    expectOneLine(run, new RegExp(`^reference \\(DATABASE_URL=postgres://postgres@127\\.0\\.0\\.1:${port}/city\\): cannot connect: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
  }, 60_000);

  it('a missing database: `database "x" does not exist`', async () => {
    const server = missingDatabaseServer('nowhere');
    const port = await listen(server);
    try {
      const run = await cli('audit-verify.ts', [], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere` });
      expect(run.code).toBe(1);
      expectOneLine(run, /^reference \(DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/nowhere\): cannot connect: database "nowhere" does not exist/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});

describe('start-up and argument errors in one line', () => {
  it('a port in use: `port N is in use: …`', async () => {
    const holder = createServer();
    const port = await listen(holder);
    try {
      const run = await cli('start.ts', [], { PORT: String(port), DATA_DIR: 'memory://', SEED_ON_START: 'false', LOG_LEVEL: 'warn' });
      expect(run.code).toBe(1);
      // The empty database's warning is a log line on stdout; stderr has the cause alone.
      expectOneLine(run, new RegExp(`^port ${port} is in use: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}; stop the process`));
      expect(run.stdout).not.toMatch(/ready at/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 90_000);

  it('an unknown scale lists the valid ones, before any database is opened', async () => {
    const dataDir = path.join(tmpdir(), `gateway-never-created-${process.pid}`);
    const run = await cli('seed.ts', ['--scale', 'huge'], { DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expectOneLine(run, /^--scale must be one of tiny, small, medium, city, got "huge"$/);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('a configuration error: the variable, what it must be and what it got', async () => {
    const run = await cli('start.ts', [], { PORT: 'abc' });
    expect(run.code).toBe(1);
    expectOneLine(run, /^Invalid configuration: PORT must be a whole number from 0 to 65535, got "abc"$/);
  }, 60_000);

  it('a bad SEED_ON_START is a configuration error too', async () => {
    const run = await cli('migrate.ts', [], { SEED_ON_START: 'maybe', DATA_DIR: 'memory://' });
    expect(run.code).toBe(1);
    expectOneLine(run, /^Invalid configuration: SEED_ON_START must be true or false, got "maybe"$/);
  }, 60_000);
});

describe('one owner of an embedded data folder', () => {
  let dataDir: string;
  let held: Connections | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-lock-'));
  });
  afterAll(async () => {
    await held?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('while this process holds it, a command and a second gateway are refused with the holder’s pid', async () => {
    held = await openConnections(loadConfig({ DATA_DIR: dataDir }));
    const holder = new RegExp(
      `^the embedded database in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by process ${process.pid} \\(.+\\): stop that process, or point the sources at a PostgreSQL server`,
    );
    const [verify, exported, migrate, start] = await Promise.all([
      cli('audit-verify.ts', [], { DATA_DIR: dataDir }),
      cli('audit-export.ts', ['--format', 'ndjson'], { DATA_DIR: dataDir }),
      cli('migrate.ts', [], { DATA_DIR: dataDir }),
      cli('start.ts', [], { DATA_DIR: dataDir, PORT: String(await closedPort()) }),
    ]);
    for (const run of [verify, exported, migrate, start]) {
      expect(run.code, run.stderr).toBe(1);
      expectOneLine(run, holder);
    }
    expect(start.stdout).not.toMatch(/ready at/);
    // A second owner in the same process is refused as well (PGlite would abort on it).
    await expect(openConnections(loadConfig({ DATA_DIR: dataDir }))).rejects.toThrow(holder);
    await held.close();
    held = undefined;
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('a lock left by a process that is gone is taken over', async () => {
    // A pid that surely ended: a child that has already exited.
    const dead = spawn(process.execPath, ['-e', '']);
    const pid = dead.pid!;
    await new Promise((resolve) => dead.once('exit', resolve));
    writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid, command: 'node src/cli/start.ts', since: new Date().toISOString() }));
    const run = await cli('migrate.ts', [], { DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^audit: /m);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
