import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { pathKeys, type ResponsePath } from '../../../access/guard.js';
import type { GraphContext } from '../../../modules/context.js';
import type { AccessLogEntry } from '../../../modules/audit/db/index.js';
import { accessEntries } from './entries.js';
import { AccessLogWriter, type AccessLogWriterOptions } from './writer.js';

export interface AccessLogPluginOptions {
  /** Stores entries in the audit source (the access-log repository's append). */
  append(entries: readonly AccessLogEntry[]): Promise<unknown>;
  /** Server-side log of a failed write (the client only learns that data was withheld). */
  onWriteFailure(error: unknown, requestId: string): void;
  onWritten?(entries: number): void;
  /** Bounds on the wait for the log (see AccessLogWriter): timeoutMs is the statement timeout plus a margin. */
  writer?: AccessLogWriterOptions;
}

export type AccessLogPlugin = ApolloServerPlugin<GraphContext> & {
  /** Resolves once no write is queued or running: the gateway waits for it before closing the pools. */
  settled(): Promise<void>;
};

const WITHHELD = 'Personal data withheld: the access log could not be written';

/** Sets the value at `path` to null, where the response still has it. */
function nullAt(data: Record<string, unknown>, path: ResponsePath): boolean {
  let node: unknown = data;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1]!;
  if (node === null || typeof node !== 'object' || !(last in node)) return false;
  (node as Record<string | number, unknown>)[last] = null;
  return true;
}

/**
 * Writes the request's access-log entries before the response leaves (per request, not per
 * field; concurrent requests share a transaction, see AccessLogWriter). Fail closed: if the
 * entries cannot be written, every personal value in the response is replaced by null with an
 * error, so no personal data leaves unrecorded.
 */
export function accessLogPlugin(options: AccessLogPluginOptions): AccessLogPlugin {
  const writer = new AccessLogWriter((batch) => options.append(batch), options.writer);
  return {
    settled: () => writer.idle(),
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName, queryHash }) {
          const entries = accessEntries(contextValue.guard, {
            requestId: contextValue.requestId,
            principal: contextValue.principal,
            operationName: operationName ?? null,
            documentHash: queryHash ?? null,
          });
          if (entries.length === 0) return;
          // The write's one statement (a batch's insert) counts in this request's statements.
          const written = writer.write(entries).then(() => contextValue.statements.record('audit'));
          contextValue.statements.include(written);
          try {
            await written;
            options.onWritten?.(entries.length);
          } catch (error) {
            options.onWriteFailure(error, contextValue.requestId);
            if (response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const errors: GraphQLFormattedError[] = [...(result.errors ?? [])];
            for (const released of contextValue.guard.releasedPaths) {
              const path = pathKeys(released);
              if (result.data && nullAt(result.data, path)) {
                errors.push({ message: WITHHELD, path: [...path], extensions: { code: 'SOURCE_UNAVAILABLE', source: 'audit', requestId: contextValue.requestId } });
              }
            }
            result.errors = errors;
          }
        },
      };
    },
  };
}
