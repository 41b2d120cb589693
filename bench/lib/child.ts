import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A server the bench started in a process of its own (a gateway variant or the floor). */
export interface ChildServer {
  /** The URL it reported when ready (the GraphQL endpoint, or the floor's origin). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Variables that would point the child elsewhere than the bench's databases. */
const DROPPED = /^(DATABASE_URL|[A-Z]+_DATABASE_URL|DATA_DIR|SEED_SCALE|SEED|PORT|NODE_ENV|VITEST.*|TEST_DATABASE)$/;

export interface StartChildOptions {
  /** Environment for the sources and settings, handed to loadConfig in the child. */
  sourceEnv: Record<string, string>;
  /** Where the child's stderr goes (its stdout, the request log, is discarded). */
  logFile: string;
  /** Folder for a V8 CPU profile of the child (`node --cpu-prof`), written when it stops. */
  cpuProfileDir?: string;
  /** Node options before the script; default `--import tsx` for a .ts script, none for JavaScript. */
  execArgv?: string[];
  /** Working directory of the child (default the bench's). */
  cwd?: string;
  /** Variables set in the child's environment as they are (not through BENCH_SOURCE_ENV). */
  processEnv?: Record<string, string>;
  timeoutMs?: number;
}

/** Forks `node <script>` (with `--import tsx` for TypeScript) and waits for its `{ ready: url }` message. */
export async function startChild(script: string, args: string[], options: StartChildOptions): Promise<ChildServer> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'w');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !DROPPED.test(key)) env[key] = value;
  Object.assign(env, options.processEnv);
  env.BENCH_SOURCE_ENV = JSON.stringify(options.sourceEnv);
  const execArgv = [...(options.execArgv ?? (script.endsWith('.ts') ? ['--import', 'tsx'] : []))];
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  const child = fork(script, args, { execArgv, env, cwd: options.cwd, stdio: ['ignore', 'ignore', log, 'ipc'] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} was not ready within ${options.timeoutMs ?? 180_000} ms`)), options.timeoutMs ?? 180_000);
      child.once('message', (message: { ready?: string }) => {
        clearTimeout(timer);
        if (message.ready) resolve(message.ready);
        else reject(new Error(`${script} sent ${JSON.stringify(message)}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} ${args.join(' ')} exited with code ${code} before it was ready:\n${tail(options.logFile)}`));
      });
    });
    return { url, pid: child.pid!, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resident set size of a process in bytes: /proc where there is one, else `ps -o rss=`. */
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux, or the process is gone
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? kb * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; returns the peak seen. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number | null } {
  let peak: number | null = rssOf(pid);
  const timer = setInterval(() => {
    const rss = rssOf(pid);
    if (rss !== null && (peak === null || rss > peak)) peak = rss;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const rss = rssOf(pid);
      if (rss !== null && (peak === null || rss > peak)) peak = rss;
      return peak;
    },
  };
}

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in milliseconds; null where /proc is missing. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return null;
  }
}
