import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { gatewayError } from '../../platform/errors.js';
import type { AccessLogEntry } from '../../modules/audit/db/index.js';
import type { GraphContext } from '../../modules/context.js';
import { accessEntries } from '../plugins/access-log/entries.js';

export interface EventAccessLog {
  /** Stores the event's entries before it is sent (the HTTP plugin's writer); null: no log (benchmark baseline). */
  write: ((entries: readonly AccessLogEntry[]) => Promise<void>) | null;
  onWriteFailure(error: unknown, requestId: string): void;
}

export interface EventFacts {
  operationName: string | null;
  documentHash: string;
  /** A new context for each event: fresh loaders and guard, like a new request. */
  fresh(): GraphContext;
}

const WITHHELD = 'Personal data withheld: the access log could not be written';

/**
 * graphql-js's subscribe, with one difference: each event is executed with a context of its
 * own (fresh loaders: no row cached from one event to the next; a fresh guard), and its
 * personal-data reads are written to the access log before it is sent, as for an HTTP request.
 * If the log cannot be written, the event is withheld whole (fail closed).
 */
export async function subscribeWithEventContexts(args: ExecutionArgs, facts: EventFacts, log: EventAccessLog): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const events = source[Symbol.asyncIterator]();
  const run = async (payload: unknown): Promise<ExecutionResult> => {
    const context = facts.fresh();
    const result = await execute({ ...args, rootValue: payload, contextValue: context });
    const entries = accessEntries(context.guard, { requestId: context.requestId, principal: context.principal, operationName: facts.operationName, documentHash: facts.documentHash });
    if (entries.length === 0 || !log.write) return result;
    try {
      await log.write(entries);
      return result;
    } catch (error) {
      log.onWriteFailure(error, context.requestId);
      return { data: null, errors: [gatewayError('SOURCE_UNAVAILABLE', WITHHELD, { source: 'audit', requestId: context.requestId })] };
    }
  };
  const mapped = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      const next = await events.next();
      if (next.done) return { done: true, value: undefined };
      return { done: false, value: await run(next.value) };
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await events.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped as unknown as AsyncGenerator<ExecutionResult>;
}
