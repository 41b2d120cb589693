/**
 * Subscriptions for the city's internal apps (the IOC's live dashboard): a typed document in,
 * an async iterator of typed results out, over graphql-ws on the gateway's /graphql.
 *
 *   const live = gatewaySubscriptions({ url: 'http://127.0.0.1:4000/graphql', token });
 *   for await (const { data } of live.subscribe(LiveObservationsDocument, { indicatorCode: null })) …
 *   await live.dispose();
 *
 * Like the HTTP client, a document goes with its manifest hash (`extensions.persistedQuery`): a
 * production gateway runs the manifest's text; a development one runs the text sent along when
 * its manifest does not know the hash. Errors the gateway answers for a subscription are thrown
 * as GatewayRequestError (its codes); a connection the gateway closes (no or a bad token: 4401;
 * shutting down: 1001) as SubscriptionClosedError.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import type { Purpose } from '../access/roles.js';
import { GatewayRequestError, type GatewayGraphQLError } from './client.js';

export interface SubscriptionClientOptions {
  /** The gateway's GraphQL URL, http(s):// or ws(s)://, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** A bearer token (JWT): subscriptions need one. */
  token: string;
  /** X-Purpose of the connection (and X-Case-Reference for the purposes that need one). */
  purpose?: Purpose;
  caseReference?: string;
  /** A WebSocket class where the platform has none (Node.js 20: `WebSocket` of the `ws` package); default: the global one (browsers, Node.js 22). */
  webSocketImpl?: unknown;
}

/** The gateway closed the connection: `code` 4401 (unauthenticated), 4400 (bad purpose), 1001 (shutting down), or graphql-ws's own. */
export class SubscriptionClosedError extends Error {
  override readonly name = 'SubscriptionClosedError';
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`The gateway closed the subscription connection: ${code} ${reason}`);
  }
}

export interface GatewaySubscriptions {
  /** The results of one subscription; `return()` (or leaving a `for await`) completes it at the gateway. */
  subscribe<TResult, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): AsyncIterableIterator<FormattedExecutionResult<TResult, unknown>>;
  /** Closes the connection (every subscription of it). */
  dispose(): Promise<void>;
  /** The underlying graphql-ws client. */
  readonly client: Client;
}

function operationNameOf(document: DocumentNode): string | null {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return operation?.name?.value ?? null;
}

function hashOf(document: DocumentNode): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return value !== null && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'number' && 'reason' in value;
}

export function gatewaySubscriptions(options: SubscriptionClientOptions): GatewaySubscriptions {
  const url = options.url.replace(/^http/, 'ws');
  const client = createClient({
    url,
    webSocketImpl: options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket,
    lazy: true,
    // A refused token or a gateway going away is told to the caller, not retried behind its back.
    retryAttempts: 0,
    connectionParams: {
      Authorization: `Bearer ${options.token}`,
      ...(options.purpose ? { 'X-Purpose': options.purpose } : {}),
      ...(options.caseReference ? { 'X-Case-Reference': options.caseReference } : {}),
    },
  });

  return {
    client,
    subscribe<TResult, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables) {
      const hash = hashOf(document);
      const operationName = operationNameOf(document);
      // By its hash alone, as the HTTP client sends it; the text once more only where the gateway does not know the hash.
      const start = (withText: boolean) =>
        client.iterate<TResult>({
          query: withText || !hash ? print(document) : '',
          operationName,
          variables,
          ...(hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : {}),
        });
      let results = start(false);
      let first = true;
      const iterator: AsyncIterableIterator<FormattedExecutionResult<TResult, unknown>> = {
        async next() {
          try {
            const result = await results.next();
            first = false;
            return result;
          } catch (error) {
            const unknownHash = first && hash && Array.isArray(error) && (error as GatewayGraphQLError[]).some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
            first = false;
            if (unknownHash) {
              results = start(true);
              return iterator.next();
            }
            if (Array.isArray(error)) throw new GatewayRequestError(operationName, 0, error as GatewayGraphQLError[]);
            if (isCloseEvent(error)) throw new SubscriptionClosedError(error.code, error.reason);
            throw error;
          }
        },
        async return() {
          await results.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    async dispose() {
      await client.dispose();
    },
  };
}
