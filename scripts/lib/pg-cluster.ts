import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * Throwaway PostgreSQL 15 clusters (Debian's binaries) in a folder of the caller's: a primary
 * ready for streaming replication and hot standbys made from it with pg_basebackup. Used by
 * the read-replica test and the scale-out rehearsal; the machine's own server (5432) is never
 * touched, since its pg_hba has no `replication` line.
 *
 * Layout of `dir`: `data/` (the cluster), `server.log`, and the unix socket (`-k dir`, so no
 * cluster writes to /var/run/postgresql).
 */

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust: no password). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server (pg_ctl stop -m fast) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server but keeps its data, to simulate an outage; `resume()` brings it back. */
  pause(): Promise<void>;
  /** Starts a paused server again (a replica then catches up and streams again). */
  resume(): Promise<void>;
}

export interface PrimaryOptions {
  dir: string;
  port: number;
}

export interface ReplicaOptions {
  dir: string;
  port: number;
  primaryPort: number;
}

/** A TCP port free on 127.0.0.1 now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** initdb + start: wal_level=replica, WAL senders, hot standby, trust (incl. replication) on local and 127.0.0.1. */
export async function startPrimary({ dir, port }: PrimaryOptions): Promise<PgCluster> {
  const folder = prepareFolder(dir);
  const data = join(folder, 'data');
  try {
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        '# pg-cluster.ts',
        ...serverSettings(folder, port),
        'wal_level = replica',
        'max_wal_senders = 10',
        // A replica paused for a while must still find the WAL it missed (no slot to leak).
        "wal_keep_size = '256MB'",
        'hot_standby = on',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(data, 'pg_hba.conf'),
      [
        'local all all trust',
        'local replication all trust',
        'host all all 127.0.0.1/32 trust',
        'host replication all 127.0.0.1/32 trust',
        '',
      ].join('\n'),
    );
    const cluster = handle(folder, port);
    await cluster.resume();
    return cluster;
  } catch (error) {
    await cleanUp(folder, data);
    throw error;
  }
}

/** pg_basebackup -R -X stream from the primary, then start as a hot standby and wait until it streams. */
export async function startReplica({ dir, port, primaryPort }: ReplicaOptions): Promise<PgCluster> {
  const folder = prepareFolder(dir);
  const data = join(folder, 'data');
  try {
    await asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast']);
    // The copy carries the primary's port and socket folder; later lines win in postgresql.conf.
    appendFileSync(join(data, 'postgresql.conf'), ['', '# pg-cluster.ts (replica)', ...serverSettings(folder, port), ''].join('\n'));
    const cluster = handle(folder, port, true);
    await cluster.resume();
    return cluster;
  } catch (error) {
    await cleanUp(folder, data);
    throw error;
  }
}

function serverSettings(folder: string, port: number): string[] {
  return [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${folder}'`,
    // Throwaway clusters: durability across a machine crash buys nothing and costs seconds.
    'fsync = off',
  ];
}

function handle(folder: string, port: number, replica = false): PgCluster {
  const data = join(folder, 'data');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = false;
  let removed = false;
  const pause = async () => {
    if (!running) return;
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  return {
    url,
    port,
    dir: folder,
    pause,
    async resume() {
      if (removed) throw new Error(`${folder} was removed`);
      if (running) return;
      await asPostgres('pg_ctl', ['-D', data, '-l', join(folder, 'server.log'), '-w', '-t', '60', 'start']);
      running = true;
      await waitReady(folder, port);
      if (replica) await waitStreaming(url);
    },
    async stop() {
      if (removed) return;
      await pause().catch(() => undefined);
      await cleanUp(folder, data);
      removed = true;
    },
  };
}

/** initdb and postgres refuse root: as root, run them as the postgres user. */
async function asPostgres(binary: string, args: string[]): Promise<void> {
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(BIN, binary), ...args]] : [join(BIN, binary), args];
  try {
    await run(command, argv, { env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${binary} failed: ${(stderr || stdout || String(error)).trim()}`, { cause: error });
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Creates the (empty) folder, owned by postgres, with every folder above it passable. */
function prepareFolder(dir: string): string {
  const folder = resolve(dir);
  if (existsSync(folder) && readdirSync(folder).length > 0) throw new Error(`${folder} is not empty`);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const { uid, gid } = postgresUser();
    chownSync(folder, uid, gid);
    // mkdtemp makes 0700 folders: the postgres user must be able to pass through them (search only, not read).
    for (let parent = dirname(folder); parent !== dirname(parent); parent = dirname(parent)) {
      const stat = statSync(parent);
      if ((stat.mode & 0o001) === 0 && stat.uid === 0) chmodSync(parent, (stat.mode & 0o7777) | 0o011);
    }
  }
  return folder;
}

let postgresIds: { uid: number; gid: number } | undefined;
function postgresUser(): { uid: number; gid: number } {
  if (!postgresIds) {
    const line = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':');
    postgresIds = { uid: Number(line[2]), gid: Number(line[3]) };
  }
  return postgresIds;
}

async function cleanUp(folder: string, data: string): Promise<void> {
  // A server left running after a failed start (pg_ctl gave up waiting) must not outlive its folder.
  if (existsSync(join(data, 'postmaster.pid'))) await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
}

async function waitReady(folder: string, port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await run(join(BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-t', '2']);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL in ${folder} (port ${port}) not ready within ${timeoutMs} ms`, { cause: error });
      await sleep(100);
    }
  }
}

/** A standby is usable once it is in recovery and its WAL receiver streams from the primary. */
async function waitStreaming(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ recovery: boolean; status: string | null }>(
        'select pg_is_in_recovery() as recovery, (select status from pg_stat_wal_receiver) as status',
      );
      if (rows[0]?.recovery && rows[0].status === 'streaming') return;
      if (rows[0] && !rows[0].recovery) throw new Error(`${url} is not a standby`);
    } catch (error) {
      if (error instanceof Error && error.message.endsWith('is not a standby')) throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`replica at ${url} not streaming within ${timeoutMs} ms`);
    await sleep(100);
  }
}
