import type { RootOperationNode } from 'kysely';
import type { SourceName } from './source-names.js';
import { reasonOf } from './unavailable.js';

/** Which server answered a statement: the source's primary or its read replica. */
export type StatementTarget = 'primary' | 'replica';

/** A source's reachability as the gateway last saw it: what operators are told about, once per change. */
export type SourceState = { source: SourceName; status: 'up' } | { source: SourceName; status: 'down'; reason: string };

/**
 * An outcome seen on a source: it answered (up) or could not (down, with the cause). `startedAt`
 * (performance.now()) of the work that answered: an answer to work begun before the latest
 * failure says nothing about the source now.
 */
export type SourceObservation = (source: SourceName, status: 'up' | 'down', cause?: unknown, startedAt?: number) => void;

/**
 * `node`, when the emitter gives it: the statement as Kysely built it (tracing compiles it to
 * the SQL text with its $n placeholders, never its values; nothing else needs it).
 */
export type StatementListener = (source: SourceName, seconds: number, target: StatementTarget, node?: RootOperationNode) => void;

export interface SourceStateWatch {
  /** Reports an outcome seen outside a driver (e.g. the access log not answering in time). */
  report: SourceObservation;
  stop(): void;
}

/**
 * What one set of connections (openConnections) tells about its sources: every statement with
 * its duration (metrics), and every outcome its drivers see (up, down). Held by the connections,
 * never by the process: two gateways over their own connections hear only their own sources.
 */
export class SourceEvents {
  private readonly statementListeners = new Set<StatementListener>();
  private readonly observers = new Set<SourceObservation>();

  /** Called once per statement, with its duration and where it ran. */
  onStatement(listener: StatementListener): () => void {
    this.statementListeners.add(listener);
    return () => this.statementListeners.delete(listener);
  }

  statement(source: SourceName, seconds: number, target: StatementTarget, node?: RootOperationNode): void {
    for (const listener of this.statementListeners) listener(source, seconds, target, node);
  }

  /** Whether anyone watches the sources' states (drivers skip reporting successes otherwise). */
  get watched(): boolean {
    return this.observers.size > 0;
  }

  observe(source: SourceName, status: 'up' | 'down', cause?: unknown, startedAt?: number): void {
    for (const observe of this.observers) observe(source, status, cause, startedAt);
  }

  /**
   * Expected outages are told per change of state, not per failed field: a source down under load
   * fails thousands of fields, and one line when it goes and one when it is back is what an
   * operator can act on. Each watcher (one per gateway) keeps its own view; sources start up.
   */
  watchStates(onChange: (state: SourceState) => void): SourceStateWatch {
    /** Since when (performance.now() of the latest failure) each source is down. */
    const down = new Map<SourceName, number>();
    const report: SourceObservation = (source, status, cause, startedAt = performance.now()) => {
      const lastFailure = down.get(source);
      if (status === 'down') {
        down.set(source, performance.now());
        if (lastFailure === undefined) onChange({ source, status, reason: reasonOf(cause) });
      } else if (lastFailure !== undefined && startedAt >= lastFailure) {
        down.delete(source);
        onChange({ source, status });
      }
    };
    this.observers.add(report);
    return { report, stop: () => this.observers.delete(report) };
  }
}
