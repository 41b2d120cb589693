import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * A copy of the access log's checkpoints outside the audit database (ACCESS_LOG_WITNESS_URL): a
 * folder (one file per checkpoint, `<tree size>.checkpoint`, the signed note as is) or another
 * PostgreSQL database (table `access_log_witness`). Write-once: a checkpoint for a size the
 * witness already holds is never replaced, and a different one is reported as a contradiction.
 * Someone who rewrites the audit database, even with the signing key, then still has the
 * witness's checkpoints against them (see tree-verify.ts).
 */
export interface WitnessedCheckpoint {
  treeSize: number;
  note: string;
}

export type WitnessWrite = 'written' | 'kept' | 'contradicted';

export interface Witness {
  /** Where it is, for messages (passwords hidden). */
  readonly describe: string;
  write(checkpoint: WitnessedCheckpoint): Promise<WitnessWrite>;
  /** The largest tree size it holds, -1 when none. */
  latestSize(): Promise<number>;
  /** Every checkpoint it holds, smallest tree first. */
  list(): Promise<WitnessedCheckpoint[]>;
  close(): Promise<void>;
}

const FILE = /^(\d{1,20})\.checkpoint$/;

export class FolderWitness implements Witness {
  readonly describe: string;

  constructor(private readonly dir: string) {
    this.describe = `folder ${dir}`;
  }

  private file(size: number): string {
    return path.join(this.dir, `${String(size).padStart(12, '0')}.checkpoint`);
  }

  async write({ treeSize, note }: WitnessedCheckpoint): Promise<WitnessWrite> {
    await mkdir(this.dir, { recursive: true });
    try {
      // 'wx': created, never overwritten.
      await writeFile(this.file(treeSize), note, { flag: 'wx', mode: 0o644 });
      return 'written';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return (await readFile(this.file(treeSize), 'utf8')) === note ? 'kept' : 'contradicted';
    }
  }

  private async sizes(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.flatMap((name) => {
      const match = FILE.exec(name);
      return match ? [Number(match[1])] : [];
    }).sort((a, b) => a - b);
  }

  async latestSize(): Promise<number> {
    const sizes = await this.sizes();
    return sizes.length ? sizes[sizes.length - 1]! : -1;
  }

  async list(): Promise<WitnessedCheckpoint[]> {
    const out: WitnessedCheckpoint[] = [];
    for (const treeSize of await this.sizes()) out.push({ treeSize, note: await readFile(this.file(treeSize), 'utf8') });
    return out;
  }

  async close(): Promise<void> {}
}

export class PostgresWitness implements Witness {
  readonly describe: string;
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;

  constructor(url: string) {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    this.describe = `database ${parsed.toString()}`;
    this.pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2_000, statement_timeout: 5_000 });
    this.pool.on('error', () => undefined);
  }

  private table(): Promise<void> {
    this.ready ??= this.pool
      .query(`create table if not exists access_log_witness (
        tree_size bigint primary key check (tree_size >= 0),
        note text not null,
        written_at timestamptz not null default now()
      )`)
      .then(() => undefined, (error: unknown) => {
        this.ready = undefined;
        throw error;
      });
    return this.ready;
  }

  async write({ treeSize, note }: WitnessedCheckpoint): Promise<WitnessWrite> {
    await this.table();
    const inserted = await this.pool.query('insert into access_log_witness (tree_size, note) values ($1, $2) on conflict (tree_size) do nothing', [treeSize, note]);
    if (inserted.rowCount === 1) return 'written';
    const { rows } = await this.pool.query<{ note: string }>('select note from access_log_witness where tree_size = $1', [treeSize]);
    return rows[0]?.note === note ? 'kept' : 'contradicted';
  }

  async latestSize(): Promise<number> {
    await this.table();
    const { rows } = await this.pool.query<{ size: string | null }>('select max(tree_size)::text as size from access_log_witness');
    return rows[0]?.size == null ? -1 : Number(rows[0].size);
  }

  async list(): Promise<WitnessedCheckpoint[]> {
    await this.table();
    // Ordered by the number (an alias of its text would order '12' before '3').
    const { rows } = await this.pool.query<{ size: string; note: string }>('select w.tree_size::text as size, w.note from access_log_witness w order by w.tree_size');
    return rows.map((row) => ({ treeSize: Number(row.size), note: row.note }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The witness of ACCESS_LOG_WITNESS_URL: a postgres:// URL, else a folder. */
export function openWitness(location: string): Witness {
  return /^postgres(ql)?:\/\//i.test(location) ? new PostgresWitness(location) : new FolderWitness(location);
}
