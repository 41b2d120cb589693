import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * HAProxy for the scale-out rehearsal: a generated configuration in the rehearsal's folder,
 * run in the foreground (-db) so that it is a child of the script and logs to its stdout,
 * which goes to a file: one line per request (the caller's X-Request-Id, the server that
 * answered, the status, the termination state) and the health checks' state changes.
 */

/** Health checks: a dead server is out after CHECK_FALL failed checks, CHECK_INTERVAL_MS apart. */
export const CHECK_INTERVAL_MS = 300;
export const CHECK_FALL = 2;

export interface Backend {
  name: string;
  port: number;
}

export interface LoggedRequest {
  requestId: string;
  server: string;
  status: number;
  /** HAProxy's termination state (`--` for a normal end, `SH` for a server that died mid-answer …). */
  termination: string;
}

export interface RunningHaproxy {
  port: number;
  url: string;
  logFile: string;
  /** Health-check transitions as HAProxy logged them ("Server gateways/gw2 is DOWN …"). */
  events(): string[];
  requests(): Map<string, LoggedRequest>;
  stop(): Promise<void>;
}

export function haproxyConfig(port: number, backends: Backend[]): string {
  return [
    'global',
    '  log stdout format raw local0',
    '  maxconn 2000',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    // Shorter than the gateway's keep-alive (65 s, http-drain.ts): the balancer gives up first.
    '  timeout http-keep-alive 10s',
    // A request refused at connect (a dead server not yet marked down) goes to another server.
    '  retries 3',
    '  option redispatch 1',
    '',
    'frontend rehearsal',
    `  bind 127.0.0.1:${port}`,
    // The gateway (TRUST_PROXY=loopback) takes the caller's address from here for the rate limit.
    '  option forwardfor',
    '  http-request capture req.hdr(x-request-id) len 64',
    '  log-format "request rid=%[capture.req.hdr(0)] srv=%s st=%ST ts=%tsc"',
    '  default_backend gateways',
    '',
    'backend gateways',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    // Marked down within about 0.6 s: well inside the gateway's SHUTDOWN_GRACE_MS of "draining".
    `  default-server inter ${CHECK_INTERVAL_MS}ms fall ${CHECK_FALL} rise 2`,
    // Names the replica in every answer it gave, so the client can tell who refused it.
    '  http-response set-header X-Served-By %[srv_name]',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`),
    '',
  ].join('\n');
}

export async function startHaproxy(dir: string, port: number, backends: Backend[]): Promise<RunningHaproxy> {
  const configFile = join(dir, 'haproxy.cfg');
  const logFile = join(dir, 'haproxy.log');
  writeFileSync(configFile, haproxyConfig(port, backends));
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = () => readFileSync(logFile, 'utf8').split('\n');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr.trim()}`);
    // Ready once a backend is up and answers through the frontend.
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`haproxy did not answer within 30 s: ${stderr.trim()}`);
    await sleep(200);
  }
  return {
    port,
    url,
    logFile,
    events: () => lines().filter((line) => /is (DOWN|UP)/.test(line)),
    requests() {
      const map = new Map<string, LoggedRequest>();
      for (const line of lines()) {
        const match = /^request rid=(\S*) srv=(\S*) st=(-?\d+) ts=(\S+)/.exec(line);
        if (match && match[1] && match[1] !== '-') map.set(match[1], { requestId: match[1], server: match[2]!, status: Number(match[3]), termination: match[4]! });
      }
      return map;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGUSR1: soft stop, so that its last log lines are written.
      child.kill('SIGUSR1');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
