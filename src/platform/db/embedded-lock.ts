import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One owner per embedded data folder. PGlite has no lock of its own: a second process on the
 * same folder either aborts inside WASM or silently writes over the first one's pages. The lock
 * is a file in the folder naming the owner; a lock whose process is gone is taken over.
 */
export const LOCK_FILE = 'gateway.lock';

export interface LockHolder {
  pid: number;
  command: string;
  /** The process's start time in clock ticks since boot (Linux), so that a reused pid is not mistaken for the owner. */
  started?: string;
  since: string;
}

export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.command}): ` +
        'stop that process, or point the sources at a PostgreSQL server (DATABASE_URL or <SOURCE>_DATABASE_URL)',
    );
  }
}

export interface DataFolderLock {
  release(): void;
}

function startTime(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTime(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the folder's lock or throws `DataFolderInUseError` naming the process that holds it. */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    command: [path.basename(process.execPath), ...process.execArgv, ...process.argv.slice(1).map((a) => path.relative(process.cwd(), a) || a)].join(' '),
    started: startTime(process.pid),
    since: new Date().toISOString(),
  };
  // Written whole under a private name, then linked into place: link fails if a lock exists, so
  // two processes never both succeed and no one reads a half-written file.
  const draft = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(draft, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(file);
        if (holder && alive(holder)) throw new DataFolderInUseError(dataDir, holder);
        if (attempt >= 3) throw new DataFolderInUseError(dataDir, holder ?? { pid: 0, command: `unreadable ${file}`, since: '' });
        // Stale (its process is gone) or unreadable: take it over.
        try {
          unlinkSync(file);
        } catch (unlinkError) {
          if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
        }
      }
    }
  } finally {
    unlinkSync(draft);
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: a process that took over a lock it believed stale must keep its own.
    if (readHolder(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  };
  // process.exit() skips the close that would release it.
  process.on('exit', release);
  return { release };
}
