import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * A new user's first two commands on a fresh clone: `npm ci`, then `npm start` with nothing set
 * but PORT. The clone lives outside the project (so nothing resolves from this checkout's
 * node_modules or data/), and the gateway must stop on the SIGTERM sent to npm, leaving no
 * process behind.
 */
const run = promisify(execFile);
const ROOT = process.cwd();
let clone: string;

/** The files a clone holds: a real clone when the work tree is committed, else what git would commit. */
async function cloneInto(target: string): Promise<void> {
  const { stdout: status } = await run('git', ['status', '--porcelain'], { cwd: ROOT });
  if (status.trim() === '') {
    await run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, target]);
    return;
  }
  // Uncommitted work is not in a clone: copy what `git add -A` would take; ignored folders
  // (data/, node_modules/, dist/) stay behind, as in a clone.
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  await mkdir(target, { recursive: true });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (existsSync(path.join(ROOT, file))) cpSync(path.join(ROOT, file), path.join(target, file), { recursive: true });
  }
}

/** Processes whose working directory is the clone (npm, and whatever it started there). */
function processesIn(folder: string): Array<{ pid: number; ppid: number; command: string }> {
  const found: Array<{ pid: number; ppid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd !== folder && !cwd.startsWith(`${folder}/`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), ppid, command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The README's first `curl` example: its JSON body, as a reader would paste it. */
function readmeQuery(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const match = /curl -s localhost:4000\/graphql[^\n]*\\\n\s*-d '(\{[^']+\})'/.exec(readme);
  if (!match) throw new Error('README.md has no `curl -s localhost:4000/graphql … -d \'{…}\'` example');
  return match[1]!;
}

beforeAll(async () => {
  clone = await mkdtemp(path.join(tmpdir(), 'gateway-clone-'));
  await cloneInto(clone);
  expect(existsSync(path.join(clone, 'data'))).toBe(false);
  expect(existsSync(path.join(clone, 'node_modules'))).toBe(false);
  const installed = await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: clone,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  // Every dependency declares the Node.js we run on: no EBADENGINE noise for a new user.
  expect(`${installed.stdout}\n${installed.stderr}`).not.toMatch(/EBADENGINE/);
}, 360_000);

afterAll(async () => {
  if (!clone) return;
  for (const leftover of processesIn(clone)) process.kill(leftover.pid, 'SIGKILL');
  await rm(clone, { recursive: true, force: true });
});

it('`npm start` on a fresh clone serves the README query, and one SIGTERM to npm stops everything it started', async () => {
  const port = await freePort();
  const started = performance.now();
  // Nothing but PORT: no DATA_DIR, no database URL, no NODE_ENV.
  const npm = spawn('npm', ['start'], { cwd: clone, env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = started + 240_000;
  for (;;) {
    if (gone) throw new Error(`npm start exited before it was ready:\n${output}`);
    if (performance.now() > deadline) throw new Error(`not ready within 240 s:\n${output}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (health?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const readySeconds = (performance.now() - started) / 1000;
  console.log(`front door: npm start to /healthz on a fresh clone (migrate + seed small) in ${readySeconds.toFixed(1)} s`);

  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readmeQuery() });
  const body = (await response.json()) as { data?: { datasets?: { totalCount: number; edges: Array<{ node: { title: string; publisher: { name: string } } }> } }; errors?: unknown };
  expect(response.status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data?.datasets?.totalCount).toBeGreaterThan(0);
  expect(body.data?.datasets?.edges.length).toBeGreaterThan(0);
  for (const { node } of body.data!.datasets!.edges) expect(node.publisher.name).toMatch(/\S/);

  // npm's only child is the gateway, one node process: no shell and no tsx wrapper in between
  // that would swallow the signal. (tsx's esbuild helpers, the gateway's children, may run too.)
  const running = processesIn(clone);
  const children = running.filter((p) => p.ppid === npm.pid);
  expect(children.map((p) => p.command), JSON.stringify(running)).toEqual([expect.stringMatching(/^\S*node (--[a-z-]+=\d+ )*--import tsx src\/cli\/start\.ts$/)]);
  const others = running.filter((p) => p.pid !== npm.pid && p.pid !== children[0]!.pid);
  for (const other of others) expect(other, JSON.stringify(running)).toMatchObject({ ppid: children[0]!.pid, command: expect.stringMatching(/esbuild --service/) });

  npm.kill('SIGTERM');
  const exit = await exited;
  // The gateway drained and said so; npm reports the child's clean exit.
  expect(output).toMatch(/"msg":"stopped"/);
  expect(exit, output).toEqual({ code: 0, signal: null });
  for (let i = 0; i < 40 && processesIn(clone).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(processesIn(clone)).toEqual([]);
  expect(await portOpen(port)).toBe(false);
  // The data folder was created, and its lock released for the next owner.
  expect(existsSync(path.join(clone, 'data', 'pglite', 'PG_VERSION'))).toBe(true);
  expect(existsSync(path.join(clone, 'data', 'pglite', 'gateway.lock'))).toBe(false);
}, 360_000);
