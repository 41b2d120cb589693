import type { AccessLogEntry } from '../sources/audit/index.js';

type Append = (entries: readonly AccessLogEntry[]) => Promise<unknown>;

interface Pending {
  entries: readonly AccessLogEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the access log. Every append extends one hash chain under one lock, so
 * requests that read personal data at the same time would queue behind each other, one
 * transaction each. Instead, entries arriving while a write is in progress wait and are written
 * together in the next transaction. Each request still waits for its own entries to be stored
 * before its response leaves, and learns if they were not (fail closed).
 */
export class AccessLogWriter {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly append: Append,
    private readonly maxBatch = 500,
  ) {}

  write(entries: readonly AccessLogEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch: Pending[] = [];
        let size = 0;
        while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.entries.length <= this.maxBatch)) {
          const next = this.queue.shift()!;
          batch.push(next);
          size += next.entries.length;
        }
        try {
          await this.append(batch.flatMap((pending) => pending.entries));
          for (const pending of batch) pending.resolve();
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
