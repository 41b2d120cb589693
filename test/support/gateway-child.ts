import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { mintDevToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { openConnections } from '../../src/platform/db/connection.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from './databases.js';

/**
 * A gateway as production runs it: a child process (`node --import tsx src/cli/start.ts`, one
 * process, so the gateway itself gets the signals) on fresh test databases, which it migrates
 * and seeds (tiny). Used by the shutdown and drain tests.
 */

/** A read of personal data: a page of citizens with their national ids. */
export const PERSONAL_READ = `query ShutdownRead($first: Int!) { citizens(first: $first, orderBy: NEWEST) { edges { node { id fullName nationalId birthDate } } } }`;

export interface Outcome {
  requestId: string;
  status?: number;
  /** Citizens in the answer with a real national id. */
  people?: number;
  error?: string;
  /** The network error's code (ECONNREFUSED, ECONNRESET …) when there was no answer. */
  code?: string;
  /** Completed after SIGTERM was sent. */
  afterSignal: boolean;
  /** The answer said `Connection: close`. */
  connectionClose?: boolean;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A connection attempt: "refused", or "accepted". */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? error.message)));
  });
}

/** TCP states of the local sockets on `port` (Linux /proc/net/tcp): listening 0A, established 01. */
function queuesOn(port: number): string[][] {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === local && (fields[3] === '0A' || fields[3] === '01'));
}

/**
 * Waits until the gateway has accepted every connection to `port` and read everything sent on
 * them (the accept queue of the listening socket and the receive queues of the accepted ones are
 * empty): the requests are in the gateway's hands, not the kernel's.
 */
export async function readByGateway(port: number, timeoutMs = 10_000): Promise<void> {
  if (!existsSync('/proc/net/tcp')) throw new Error('needs Linux /proc/net/tcp to see what the gateway has read');
  const deadline = Date.now() + timeoutMs;
  while (queuesOn(port).some((fields) => parseInt(fields[4]!.split(':')[1]!, 16) > 0)) {
    if (Date.now() > deadline) throw new Error(`the gateway did not read the requests sent to it within ${timeoutMs} ms`);
    await sleep(2);
  }
}

/**
 * Waits until every connection to `port` has been accepted and its request bytes sit, unread,
 * in the gateway's receive queue (the process is stopped): `count` established connections with
 * data queued and an empty accept queue is not needed, the data is.
 */
export async function queuedAtGateway(port: number, count: number, timeoutMs = 10_000): Promise<void> {
  if (!existsSync('/proc/net/tcp')) throw new Error('needs Linux /proc/net/tcp to see what waits for the gateway');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Listening socket (0A): rx_queue is the accept queue; established (01): bytes not yet read.
    const fields = queuesOn(port);
    const pending = fields.filter((f) => f[3] === '01' && parseInt(f[4]!.split(':')[1]!, 16) > 0).length;
    const backlog = fields.filter((f) => f[3] === '0A').reduce((n, f) => n + parseInt(f[4]!.split(':')[1]!, 16), 0);
    if (pending + backlog >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${pending + backlog} of ${count} requests reached the gateway's queues within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export class GatewayChild {
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

  static async start(env: Record<string, string> = {}): Promise<GatewayChild> {
    const port = await freePort();
    let databases: TestDatabases | undefined;
    let dataDir: string | undefined;
    let sourceEnv: Record<string, string>;
    if (TEST_BACKEND === 'postgres') {
      databases = await createTestDatabases();
      sourceEnv = databases.env;
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-child-'));
      sourceEnv = { DATA_DIR: dataDir };
    }
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // As `npm start` runs it (not NODE_ENV=test, which vitest sets and which changes Apollo's behaviour).
        NODE_ENV: 'development',
        PORT: String(port),
        SEED_SCALE: 'tiny',
        LOG_LEVEL: 'info',
        ...sourceEnv,
        ...env,
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

  /**
   * POSTs a personal-data read (`first` citizens); `sent` resolves once it is written whole. With
   * no agent, on a connection of its own; with a keep-alive agent, on the agent's connection.
   */
  read(requestId: string, token: string, signalSent: () => boolean, options: { agent?: http.Agent; first?: number } = {}): { sent: Promise<void>; outcome: Promise<Outcome> } {
    const first = options.first ?? 50;
    const body = JSON.stringify({ query: PERSONAL_READ, variables: { first } });
    let sent!: Promise<void>;
    const outcome = new Promise<Outcome>((resolve) => {
      const fail = (error: NodeJS.ErrnoException) => resolve({ requestId, error: String(error), code: error.code, afterSignal: signalSent() });
      const request = http.request({
        host: '127.0.0.1',
        port: this.port,
        path: '/graphql',
        method: 'POST',
        agent: options.agent ?? false,
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
          const connectionClose = /close/i.test(String(response.headers.connection ?? ''));
          try {
            const parsed = JSON.parse(text) as { data?: { citizens: { edges: Array<{ node: { nationalId: string } }> } }; errors?: unknown[] };
            const people = parsed.data?.citizens.edges.filter((e) => /^\d{12}$/.test(e.node.nationalId)).length;
            resolve({ requestId, status: response.statusCode, people, error: parsed.errors ? JSON.stringify(parsed.errors) : undefined, afterSignal: signalSent(), connectionClose });
          } catch {
            resolve({ requestId, status: response.statusCode, error: `incomplete body: ${text.slice(0, 200)}`, afterSignal: signalSent(), connectionClose });
          }
        });
      });
      request.end(body);
    });
    return { sent, outcome };
  }

  /** After the exit: GRANTED access-log entries by request id, and all entries of these ids. */
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

export const adminToken = () => mintDevToken(loadConfig({}).auth, { role: 'admin', clientApp: 'shutdown-test' });
