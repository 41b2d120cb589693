import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openConnections } from '../src/platform/db/connection.js';
import { scaleNamed, seedAll } from '../src/seed/index.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from './support/databases.js';
import { startIdentityProvider, type IdentityProvider } from './support/identity-provider.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from './support/access-log-key.js';
import { GATEWAY_NODE_FLAGS } from '../src/cli/node-flags.js';

/**
 * The image's start, outside a container (no Docker daemon here): the Dockerfile's run stage is
 * replayed in a folder outside the project (its production-only install, its COPY lines, its ENV
 * and its CMD), so that a dependency the server needs but `--omit=dev` leaves out, or a file it
 * reads at run time that the image lacks, fails here as it would in the image.
 */
const run = promisify(execFile);
const dockerfile = await readFile('Dockerfile', 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions (continuation lines joined, comments dropped), per stage. */
function stages(text: string): Instruction[][] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim());
  const result: Instruction[][] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') result.push([]);
    result.at(-1)?.push({ keyword, args: match[2]! });
  }
  return result;
}

const runStage = stages(dockerfile).at(-1)!;
const all = (keyword: string) => runStage.filter((instruction) => instruction.keyword === keyword);

/** ENV KEY=VALUE (one or more pairs, optionally quoted). */
const imageEnv: Record<string, string> = {};
for (const { args } of all('ENV')) {
  for (const pair of args.match(/\S+="[^"]*"|\S+=\S*/g) ?? []) {
    const equals = pair.indexOf('=');
    imageEnv[pair.slice(0, equals)] = pair.slice(equals + 1).replace(/^"(.*)"$/, '$1');
  }
}
const cmd = JSON.parse(all('CMD').at(-1)!.args) as string[];

describe('the Dockerfile', () => {
  it('runs as a non-root user, checks /readyz, and gives SIGTERM to node itself (exec form)', async () => {
    expect(stages(dockerfile).length).toBeGreaterThanOrEqual(2);
    const user = all('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(all('HEALTHCHECK').at(-1)?.args).toMatch(/\/readyz/);
    expect(all('STOPSIGNAL').at(-1)?.args).toBe('SIGTERM');
    expect(cmd).toEqual(['node', ...GATEWAY_NODE_FLAGS, 'dist/src/cli/start.js']);
    expect(imageEnv.NODE_ENV).toBe('production');
    expect(all('RUN').some(({ args }) => /npm ci .*--omit=dev/.test(args))).toBe(true);
    const ignored = (await readFile('.dockerignore', 'utf8')).split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', 'data', 'dist']) expect(ignored, entry).toContain(entry);
  });
});

let work: string;
let built: string;
let image: string;
let databases: TestDatabases | undefined;
let idp: IdentityProvider;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'gateway-image-'));
  // The build stage: the compiled output, here into a folder of its own.
  built = path.join(work, 'build');
  await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', path.join(built, 'dist')], { timeout: 240_000 });
  // The run stage, outside the project so that nothing resolves from its node_modules.
  image = path.join(work, 'app');
  await mkdir(image);
  for (const { args } of all('COPY')) {
    const parts = args.split(/\s+/).filter((part) => !part.startsWith('--'));
    const target = parts.at(-1)!;
    for (const source of parts.slice(0, -1)) {
      const relative = source.replace(/^\/app\//, '');
      // From the build stage: what the build made, or the project's own file it copied in.
      const from = args.includes('--from=build') && relative.startsWith('dist') ? path.join(built, relative) : path.resolve(relative);
      const destination = target.endsWith('/') ? path.join(image, target, path.basename(relative)) : path.join(image, target);
      await mkdir(path.dirname(destination), { recursive: true });
      await cp(from, destination, { recursive: true });
    }
  }
  await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: image, timeout: 300_000 });

  // The identity provider: a JWKS over HTTP, as AUTH_JWKS_URL wants it in production.
  idp = await startIdentityProvider({ alg: 'RS256', kid: 'container-test', issuer: 'urn:test:idp' });

  databases = await createTestDatabases();
}, 600_000);

afterAll(async () => {
  await databases?.drop();
  await idp?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The production settings of docs/deploy.md, on the test's databases. */
function productionEnv(port: number): Record<string, string> {
  // On the embedded backend the sources are a folder of the test; on PostgreSQL, the test's databases.
  const sources = TEST_BACKEND === 'postgres' ? databases!.env : { DATA_DIR: path.join(work, 'data') };
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...imageEnv,
    ...sources,
    // A container listens on every interface; here loopback keeps the test to itself.
    HOST: '127.0.0.1',
    PORT: String(port),
    ...idp.env,
    CURSOR_SECRET: 'container-test-cursor-secret-0123456789abcdef',
    ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY,
    METRICS_TOKEN: 'container-test-metrics-token-0123456789abcdef',
    // As compose.yaml runs it: one of several replicas behind a load balancer (PostgreSQL only).
    ...(TEST_BACKEND === 'postgres' ? { REPLICAS: '3', TRUST_PROXY: '1' } : {}),
    LOG_LEVEL: 'warn',
  };
}

it("the image's CMD, with its ENV and the production settings, serves a trusted document and stops cleanly on SIGTERM", async () => {
  const port = await freePort();
  const env = productionEnv(port);
  // Migrations are a one-off command of the image, before any replica starts.
  const migrated = await run('node', ['dist/src/cli/migrate.js'], { cwd: image, env, timeout: 120_000 });
  expect(migrated.stdout).toMatch(/audit: applied/);
  // The data: production never seeds, and the image has no faker; the test loads it.
  const connections = await openConnections(loadConfig(TEST_BACKEND === 'postgres' ? databases!.env : { DATA_DIR: env.DATA_DIR }));
  try {
    await seedAll(connections, scaleNamed('tiny'), 20241031);
  } finally {
    await connections.close();
  }

  const child: ChildProcess = spawn(cmd[0]!, cmd.slice(1), { cwd: image, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', () => output.includes('ready at') && resolve());
      void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    // The image's HEALTHCHECK command itself, as Docker would run it in the container.
    const healthcheck = JSON.parse(/\bCMD\s+(\[.*\])\s*$/.exec(all('HEALTHCHECK').at(-1)!.args)![1]!) as string[];
    await expect(run(healthcheck[0]!, healthcheck.slice(1), { cwd: image, env, timeout: 10_000 })).resolves.toBeDefined();

    const manifest = JSON.parse(await readFile(path.join(image, 'src/generated/persisted-documents.json'), 'utf8')) as Record<string, string>;
    const [hash] = Object.entries(manifest).find(([, text]) => text.startsWith('query DatasetSearch('))!;
    const token = await idp.token({ sub: 'analyst-1', role: 'analyst', agency: 'DOF' });
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ variables: { first: 2 }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    const body = (await answer.json()) as { data?: { datasets: { edges: unknown[] } }; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(body.data!.datasets.edges).toHaveLength(2);
    // Production: a document that is not trusted does not run; /metrics wants its token.
    const untrusted = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(JSON.stringify(await untrusted.json())).toContain('PERSISTED_QUERY_NOT_FOUND');
    expect((await fetch(`${base}/metrics`)).status).not.toBe(200);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  expect(await exited, output).toBe(0);
}, 240_000);
