import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { openConnections } from '../src/sources/connection.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from './support/databases.js';

/**
 * SIGTERM while requests are in flight: the gateway runs as a child process, as in production
 * (`src/cli/start.ts`); 30 requests that read personal data are sent, and SIGTERM arrives while
 * they are being served. Every request must get its complete answer, its access-log entries
 * must be written, the process must exit 0 and refuse connections afterwards.
 *
 * How the child is started matters, so the gateway's own behaviour is tested with
 * `node --import tsx src/cli/start.ts` (one process: the gateway itself gets the signal):
 * - `npx tsx …` and `npm start`: npm exits at once on SIGTERM (status 143) without passing the
 *   signal on, and the gateway is left running, orphaned.
 * - `tsx …` (tsx's own command line, what `npx tsx` runs): tsx passes SIGTERM on, waits 30 ms for
 *   the child to acknowledge it, and kills it with SIGKILL when the child's event loop is busy,
 *   as it is while serving requests on the embedded database (requests cut, "other side closed").
 */

const REQUESTS = 30;
const PAGE = 50;
const READ = `query ShutdownRead($first: Int!) { citizens(first: $first, orderBy: NEWEST) { edges { node { id fullName nationalId birthDate } } } }`;

interface Outcome {
  requestId: string;
  status?: number;
  people?: number;
  error?: string;
  /** Completed after SIGTERM was sent. */
  afterSignal: boolean;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A connection attempt: "refused", or "accepted". */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? error.message)));
  });
}

/**
 * Waits until the gateway has accepted every connection to `port` and read everything sent on
 * them (Linux: the accept queue of the listening socket and the receive queues of the accepted
 * ones are empty in /proc/net/tcp): the requests are in the gateway's hands, not the kernel's.
 */
async function readByGateway(port: number, timeoutMs = 10_000): Promise<void> {
  if (!existsSync('/proc/net/tcp')) return sleep(500);
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queued = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1] === local && (fields[3] === '0A' || fields[3] === '01'))
      .some((fields) => parseInt(fields[4]!.split(':')[1]!, 16) > 0);
    if (!queued) return;
    if (Date.now() > deadline) throw new Error(`the gateway did not read the requests sent to it within ${timeoutMs} ms`);
    await sleep(2);
  }
}

/** A gateway child process on fresh test databases, which it migrates and seeds (tiny). */
class GatewayChild {
  readonly exited: Promise<Exit>;
  stdout = '';
  stderr = '';
  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
    private readonly databases: TestDatabases | undefined,
    private readonly dataDir: string | undefined,
  ) {
    process.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(args: string[]): Promise<GatewayChild> {
    const port = await freePort();
    let databases: TestDatabases | undefined;
    let dataDir: string | undefined;
    let sourceEnv: Record<string, string>;
    if (TEST_BACKEND === 'postgres') {
      databases = await createTestDatabases();
      sourceEnv = databases.env;
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-shutdown-'));
      sourceEnv = { DATA_DIR: dataDir };
    }
    const child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // As `npm start` runs it (not NODE_ENV=test, which vitest sets and which changes Apollo's behaviour).
        NODE_ENV: 'development',
        PORT: String(port),
        SEED_SCALE: 'tiny',
        LOG_LEVEL: 'info',
        // Long enough that requests held in the kernel's queues are served before the drain even
        // when CI runs other suites beside this one (the production default is 2 s).
        SHUTDOWN_GRACE_MS: '8000',
        ...sourceEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gateway = new GatewayChild(child, port, databases, dataDir);
    const started = performance.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready within 150 s:\n${gateway.stdout}\n${gateway.stderr}`)), 150_000);
        child.stdout!.on('data', () => {
          if (!/City data gateway ready at/.test(gateway.stdout)) return;
          clearTimeout(timer);
          resolve();
        });
        void gateway.exited.then((exit) =>
          reject(new Error(`exited (${JSON.stringify(exit)}) ${Math.round(performance.now() - started)} ms after the start, before it was ready:\n${gateway.stdout}\n${gateway.stderr}`)),
        );
      });
    } catch (error) {
      await gateway.cleanUp();
      throw error;
    }
    return gateway;
  }

  /** POSTs a personal-data read on a connection of its own; `sent` resolves once it is written whole. */
  read(requestId: string, token: string, signalSent: () => boolean): { sent: Promise<void>; outcome: Promise<Outcome> } {
    const body = JSON.stringify({ query: READ, variables: { first: PAGE } });
    let sent!: Promise<void>;
    const outcome = new Promise<Outcome>((resolve) => {
      const fail = (error: Error) => resolve({ requestId, error: String(error), afterSignal: signalSent() });
      const request = http.request({
        host: '127.0.0.1',
        port: this.port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          'x-purpose': 'CITIZEN_REQUEST',
          'x-request-id': requestId,
        },
      });
      sent = new Promise((written) => request.once('finish', () => written()));
      request.once('error', fail);
      request.once('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('error', fail);
        response.once('end', () => {
          try {
            const parsed = JSON.parse(text) as { data?: { citizens: { edges: Array<{ node: { nationalId: string } }> } }; errors?: unknown[] };
            const people = parsed.data?.citizens.edges.filter((e) => /^\d{12}$/.test(e.node.nationalId)).length;
            resolve({ requestId, status: response.statusCode, people, error: parsed.errors ? JSON.stringify(parsed.errors) : undefined, afterSignal: signalSent() });
          } catch {
            resolve({ requestId, status: response.statusCode, error: `incomplete body: ${text.slice(0, 200)}`, afterSignal: signalSent() });
          }
        });
      });
      request.end(body);
    });
    return { sent, outcome };
  }

  /** After the exit: access-log entries by request id (GRANTED ones), and all entries of these ids. */
  async accessLogEntries(ids: string[]): Promise<{ granted: Record<string, number>; total: number }> {
    const connections = await openConnections(loadConfig(this.databases ? this.databases.env : { DATA_DIR: this.dataDir }));
    try {
      const audit = connections.sources.audit.root;
      const { rows } = await sql<{ request_id: string; n: number }>`
        select request_id, count(*)::int as n from audit.access_log
        where request_id = any(${ids}) and outcome = 'GRANTED' group by request_id`.execute(audit);
      const { rows: all } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log where request_id = any(${ids})`.execute(audit);
      return { granted: Object.fromEntries(rows.map((r) => [r.request_id, r.n])), total: all[0]!.n };
    } finally {
      await connections.close();
    }
  }

  async cleanUp(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
    await this.databases?.drop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

const adminToken = () => mintDevToken(loadConfig({}).auth, { role: 'admin', clientApp: 'shutdown-test' });

describe('SIGTERM with requests in flight (node --import tsx src/cli/start.ts)', () => {
  let gateway: GatewayChild;
  let outcomes: Outcome[];
  let exit: Exit;
  let afterwards: string;

  beforeAll(async () => {
    gateway = await GatewayChild.start(['--import', 'tsx', 'src/cli/start.ts']);
    const token = await adminToken();
    let signalSent = false;
    const requests = Array.from({ length: REQUESTS }, (_, i) => gateway.read(`shutdown-${process.pid}-${i}`, token, () => signalSent));
    // SIGTERM once every request has been sent whole and read by the gateway, and one answer is
    // back: the others are being served.
    await Promise.all(requests.map((r) => r.sent));
    await Promise.race(requests.map((r) => r.outcome));
    await readByGateway(gateway.port);
    signalSent = true;
    gateway.process.kill('SIGTERM');
    outcomes = await Promise.all(requests.map((r) => r.outcome));
    exit = await gateway.exited;
    afterwards = await tryConnect(gateway.port);
  }, 240_000);
  afterAll(async () => gateway?.cleanUp());

  it('arrived while requests were being served', () => {
    expect(outcomes.filter((o) => o.afterSignal).length).toBeGreaterThan(0);
  });

  it('every request got a complete 200 answer with its data', () => {
    for (const outcome of outcomes) {
      expect(outcome, `${JSON.stringify(outcome)}; exit ${JSON.stringify(exit)}; stderr: ${gateway.stderr.slice(-800)}`).toMatchObject({ status: 200, people: PAGE, error: undefined });
    }
  });

  // Apollo Server would register its own SIGINT/SIGTERM handlers (stopOnTerminationSignals) and
  // re-send the signal after stopping, killing the process in the middle of start.ts's close();
  // src/server/app.ts turns them off, so the process stops on its own terms.
  it('the process exits 0 after logging "stopped"', () => {
    expect({ ...exit, stopped: /"msg":"stopped"/.test(gateway.stdout) }).toEqual({ code: 0, signal: null, stopped: true });
  });

  it('exits (is not left running) and refuses new connections afterwards', () => {
    expect(exit.code !== null || exit.signal !== null).toBe(true);
    expect(afterwards).toBe('refused');
  });

  it('the access log holds one entry per person read, for every request', async () => {
    const { granted, total } = await gateway.accessLogEntries(outcomes.map((o) => o.requestId));
    for (const outcome of outcomes) expect(granted[outcome.requestId], outcome.requestId).toBe(outcome.people);
    expect(total).toBe(REQUESTS * PAGE);
  });
});

describe('SIGTERM just after requests arrived, before the gateway read them', () => {
  // A request sent whole just before SIGTERM, while the gateway's event loop was held, is still
  // answered: during the grace period (SHUTDOWN_GRACE_MS) the gateway keeps serving while /readyz
  // says "draining", and only then stops accepting and drains. Holding a process with SIGSTOP on
  // a machine shared with other suites is timing-sensitive, so the scenario may run up to three
  // times, each on a fresh gateway; one clean run shows the behaviour.
  it('every request sent before SIGTERM gets its answer', { retry: 2, timeout: 240_000 }, async () => {
    const gateway = await GatewayChild.start(['--import', 'tsx', 'src/cli/start.ts']);
    try {
      const token = await adminToken();
      gateway.process.kill('SIGSTOP');
      const requests = Array.from({ length: 3 }, (_, i) => gateway.read(`shutdown-held-${process.pid}-${Date.now()}-${i}`, token, () => true));
      await Promise.all(requests.map((r) => r.sent));
      await sleep(300);
      gateway.process.kill('SIGTERM');
      await sleep(100);
      gateway.process.kill('SIGCONT');
      const outcomes = await Promise.all(requests.map((r) => r.outcome));
      const exit = await gateway.exited;
      const entries = await gateway.accessLogEntries(outcomes.map((o) => o.requestId));
      expect(
        outcomes.map((o) => ({ status: o.status, people: o.people, error: o.error })),
        `access log: ${JSON.stringify(entries)}; exit ${JSON.stringify(exit)}; stderr: ${gateway.stderr.slice(-800)}`,
      ).toEqual(outcomes.map(() => ({ status: 200, people: PAGE, error: undefined })));
    } finally {
      await gateway.cleanUp();
    }
  });
});
