import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_ACCESS_LOG_SIGNING_KEY } from './support/access-log-key.js';

/**
 * The compiled gateway (tsc, as deployed) starts and answers: object types that reference each
 * other across files can pass under tsx and vitest and still crash the tsc build at start.
 */
const run = promisify(execFile);
let work: string;

beforeAll(async () => {
  // Inside the project, so that the compiled code resolves node_modules as deployed code does.
  await mkdir(path.resolve('.test-build'), { recursive: true });
  work = await mkdtemp(path.resolve('.test-build', 'build-'));
  await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', path.join(work, 'dist')], { timeout: 240_000 });
}, 300_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the compiled start (what `npm run start:prod` runs) until it exits. */
async function startUntilExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(work, 'dist/src/cli/start.js')], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

it('in production, an empty database stops the start with what to do; nothing synthetic is loaded', async () => {
  const run = await startUntilExit({
    NODE_ENV: 'production',
    AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    CURSOR_SECRET: 'built-server-test-cursor-secret-0123456789',
    ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY,
    DATA_DIR: 'memory://',
    PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  });
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^the databases are empty .*npm run db:migrate.*npm run db:seed -- --scale/)]);
  expect(run.stdout).not.toMatch(/seed/i);
  expect(run.stdout).not.toMatch(/ready/);
}, 120_000);

it('starts from dist/ on a fresh embedded database, seeds it and serves a cross-source query', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(work, 'dist/src/cli/start.js')], {
    env: { ...process.env, PORT: String(port), DATA_DIR: path.join(work, 'data'), SEED_SCALE: 'tiny', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready at')) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ datasets(first: 2) { totalCount edges { node { title publisher { code } } } } }' }),
    });
    const body = (await response.json()) as { data: { datasets: { totalCount: number; edges: Array<{ node: { publisher: { code: string } } }> } } };
    expect(response.status).toBe(200);
    expect(body.data.datasets.edges).toHaveLength(2);
    expect(body.data.datasets.edges.every((e) => typeof e.node.publisher.code === 'string')).toBe(true);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}, 180_000);
