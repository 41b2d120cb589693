import type { AccessLogEntry } from '../../../modules/audit/db/index.js';
import { traceAccessLogWrite } from '../../../platform/telemetry/spans.js';

type Append = (entries: readonly AccessLogEntry[]) => Promise<unknown>;

/** The access log did not confirm the entries in time: the request's personal data is withheld. */
export class AccessLogTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The access log did not confirm the entries within ${timeoutMs} ms`);
  }
}

export interface AccessLogWriterOptions {
  /**
   * Longest a caller waits for its entries, counted from its write: the audit source's
   * statement timeout plus a small margin. Default 5,500 ms.
   */
  timeoutMs?: number;
  /** Entries per transaction at most, so that one transaction stays small. Default 500. */
  maxBatch?: number;
  /**
   * A batch still unanswered after this long no longer holds back the next: that one starts
   * beside it (on another connection), up to `maxConcurrent` batches. Default 1,000 ms.
   */
  patienceMs?: number;
  /** Default 3: a stuck audit source holds at most this many connections of its pool. */
  maxConcurrent?: number;
}

interface Pending {
  entries: readonly AccessLogEntry[];
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the access log. Every append extends one hash chain under one lock, so
 * requests that read personal data at the same time would queue behind each other, one
 * transaction each. Instead, entries arriving while a write is in progress wait and are written
 * together in the next transaction. Each request still waits for its own entries to be stored
 * before its response leaves, and learns if they were not (fail closed).
 *
 * Waits are bounded: a caller whose entries are not confirmed within `timeoutMs` is failed then
 * (its entries are dropped if still queued; a batch already sent may still land, which records
 * a read that was in the end withheld: the safe side). A batch that hangs (a lock, a dead
 * connection) holds the next batch back for `patienceMs` only, not until it fails.
 */
export class AccessLogWriter {
  private readonly queue: Pending[] = [];
  private readonly timeoutMs: number;
  private readonly maxBatch: number;
  private readonly patienceMs: number;
  private readonly maxConcurrent: number;
  private inFlight = 0;
  /** When the latest batch started (performance.now()). */
  private lastStart = 0;
  private patienceTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly append: Append,
    options: AccessLogWriterOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_500;
    this.maxBatch = options.maxBatch ?? 500;
    this.patienceMs = options.patienceMs ?? 1_000;
    this.maxConcurrent = options.maxConcurrent ?? 3;
  }

  write(entries: readonly AccessLogEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        entries,
        settled: false,
        resolve,
        reject,
        timer: setTimeout(() => {
          const queued = this.queue.indexOf(pending);
          if (queued !== -1) this.queue.splice(queued, 1);
          this.settle(pending, new AccessLogTimeoutError(this.timeoutMs));
          this.notifyIdle();
        }, this.timeoutMs),
      };
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Resolves once nothing is queued or being written (shutdown: before the pools close). */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(pending: Pending, error?: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    clearTimeout(pending.timer);
    if (error === undefined) pending.resolve();
    else pending.reject(error);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.mayStart()) this.startBatch();
    clearTimeout(this.patienceTimer);
    this.patienceTimer = undefined;
    if (this.queue.length > 0 && this.inFlight < this.maxConcurrent) {
      // Waiting behind a batch: look again once that batch has had its chance.
      const wait = Math.max(0, this.lastStart + this.patienceMs - performance.now());
      this.patienceTimer = setTimeout(() => this.pump(), wait);
    }
  }

  private mayStart(): boolean {
    if (this.inFlight === 0) return true;
    return this.inFlight < this.maxConcurrent && performance.now() - this.lastStart >= this.patienceMs;
  }

  private startBatch(): void {
    const batch: Pending[] = [];
    let size = 0;
    while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.entries.length <= this.maxBatch)) {
      const next = this.queue.shift()!;
      batch.push(next);
      size += next.entries.length;
    }
    this.inFlight += 1;
    this.lastStart = performance.now();
    // One span per durable write (while tracing): entries and requests counted, nothing of their content.
    void traceAccessLogWrite(size, batch.length, () => this.append(batch.flatMap((pending) => pending.entries))).then(
      () => {
        for (const pending of batch) this.settle(pending);
      },
      (error: unknown) => {
        for (const pending of batch) this.settle(pending, error);
      },
    ).finally(() => {
      this.inFlight -= 1;
      this.pump();
      this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.inFlight > 0 || this.queue.length > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
