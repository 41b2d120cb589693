import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLFormattedError, GraphQLSchema, ValidationRule } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../../access/principal.js';
import { isRefusal, resolveCaller } from '../../auth/authenticate.js';
import type { TokenVerifier } from '../../auth/tokens.js';
import type { LimitsConfig } from '../../config.js';
import type { GraphContext } from '../../modules/context.js';
import { gatewayError } from '../../platform/errors.js';
import type { LiveFeeds, SourceNotifications } from '../../platform/db/notifications.js';
import type { Logger } from '../logger.js';
import type { TrustedDocumentSet } from '../trusted-documents/index.js';
import { subscribeWithEventContexts, type EventAccessLog, type EventFacts } from './execute.js';
import { prepareOperation, type SubscribePayload } from './operation.js';
import { SubjectLimit } from './subject-limit.js';

/** Close codes the gateway uses besides graphql-ws's own (4400 bad request, 4403, 4408, 4409, 4429, 4500). */
export const CLOSE_CODES = {
  /** connection_init without a token, or with a bad, expired or forged one; or the token expired since. */
  unauthenticated: 4401,
  /** connection_init with a bad X-Purpose or X-Case-Reference. */
  badInput: 4400,
  /** The gateway is shutting down (RFC 6455 "going away"). */
  goingAway: 1001,
} as const;

export interface SubscriptionDeps {
  httpServer: Server;
  schema: GraphQLSchema;
  limits: LimitsConfig & { subscriptionsPerSubject: number };
  production: boolean;
  documents: TrustedDocumentSet;
  validationRules: readonly ValidationRule[];
  verify: TokenVerifier;
  /** The HTTP endpoint's context for a principal: the same loaders, access package, cursors. */
  context(principal: Principal, requestId: string): GraphContext;
  notifications: SourceNotifications;
  accessLog: EventAccessLog;
  /** The HTTP endpoint's error masking (format-error.ts). */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  logger: Logger;
}

export interface Subscriptions {
  /** Open subscriptions, all subjects. */
  readonly open: number;
  readonly connections: number;
  /** New connections refused (503); open ones closed with 1001, waiting at most `deadlineMs` for them to close. */
  close(deadlineMs?: number): Promise<void>;
}

/** The context of a subscription: the request context plus the live feeds its resolvers read (liveOf). */
type LiveContext = GraphContext & { live: LiveFeeds<GraphContext> };

interface Connection {
  principal: Principal;
  /** Subscription ids that hold a place of the subject's limit. */
  held: Set<string>;
  expiry?: NodeJS.Timeout;
}

/** RFC 6455 close reasons are at most 123 bytes. */
function reason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

/** The token's `exp` (seconds), already verified: the connection ends when the token does. */
function expiryOf(authorization: unknown): number | undefined {
  if (typeof authorization !== 'string') return undefined;
  const payload = authorization.replace(/^Bearer\s+/, '').split('.')[1];
  try {
    const exp = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** The connection_init payload's credentials: `Authorization` (or `authorization`), `X-Purpose`, `X-Case-Reference` (or camelCase). */
function credentialsOf(params: Readonly<Record<string, unknown>> | undefined) {
  const p = params ?? {};
  return {
    authorization: p.Authorization ?? p.authorization,
    purpose: p['X-Purpose'] ?? p['x-purpose'] ?? p.purpose,
    caseReference: p['X-Case-Reference'] ?? p['x-case-reference'] ?? p.caseReference,
  };
}

/**
 * GraphQL subscriptions over graphql-ws on the HTTP server's port and path (/graphql, WebSocket
 * upgrade): the caller is the token of connection_init (the same verification, purpose and case
 * rules as HTTP; no token is refused: dashboards are for signed-in callers), each subscribe is
 * checked as an HTTP request is, and each event is executed and logged like a request.
 */
export function attachSubscriptions(deps: SubscriptionDeps): Subscriptions {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.limits.maxBodyBytes });
  const connections = new Map<WebSocket, Connection>();
  const perSubject = new SubjectLimit(deps.limits.subscriptionsPerSubject);
  let closing = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (path !== '/graphql') return void socket.destroy();
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  deps.httpServer.on('upgrade', onUpgrade);

  const release = (connection: Connection, id: string) => {
    if (connection.held.delete(id)) perSubject.release(connection.principal.subject);
  };
  const facts = new WeakMap<object, EventFacts>();

  const server = useServer<Record<string, unknown>, Record<PropertyKey, never>>(
    {
      schema: deps.schema,
      isProd: deps.production,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const credentials = credentialsOf(ctx.connectionParams);
        if (credentials.authorization === undefined) {
          socket.close(CLOSE_CODES.unauthenticated, reason('UNAUTHENTICATED: connection_init needs {"Authorization": "Bearer <JWT>"}'));
          return false;
        }
        const caller = await resolveCaller(deps.verify, credentials);
        if (isRefusal(caller)) {
          socket.close(caller.status === 401 ? CLOSE_CODES.unauthenticated : CLOSE_CODES.badInput, reason(`${caller.code}: ${caller.message}`));
          return false;
        }
        const connection: Connection = { principal: caller, held: new Set() };
        const exp = expiryOf(credentials.authorization);
        if (exp !== undefined) {
          connection.expiry = setTimeout(() => socket.close(CLOSE_CODES.unauthenticated, 'UNAUTHENTICATED: The token has expired'), Math.max(0, exp * 1_000 - Date.now()));
          connection.expiry.unref();
        }
        connections.set(socket, connection);
        return true;
      },
      onSubscribe(ctx, id, payload) {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [gatewayError('UNAUTHENTICATED', 'Not authenticated')];
        const { principal } = connection;
        const prepared = prepareOperation(
          { schema: deps.schema, documents: deps.documents, enforce: deps.production, limits: deps.limits, validationRules: deps.validationRules },
          payload as SubscribePayload,
          principal.clientApp,
        );
        if (Array.isArray(prepared)) return prepared;
        const operation = prepared as Exclude<typeof prepared, readonly GraphQLError[]>;
        if (!perSubject.take(principal.subject)) {
          return [
            gatewayError('QUERY_TOO_COMPLEX', `Subscription limit of ${perSubject.max} per subject reached (SUBSCRIPTIONS_PER_SUBJECT): complete one first`, {
              reason: 'SUBSCRIPTION_LIMIT',
            }),
          ];
        }
        connection.held.add(id);
        const connectionId = randomUUID();
        let events = 0;
        // Each event, and each shared recomputation, runs with a context of its own.
        const fresh = (): LiveContext => ({ ...deps.context(principal, `${connectionId}:${++events}`), live });
        const live: LiveFeeds<GraphContext> = { notifications: deps.notifications, fresh };
        const contextValue: LiveContext = { ...deps.context(principal, connectionId), live };
        facts.set(contextValue, { operationName: operation.operationName, documentHash: operation.documentHash, fresh });
        return {
          schema: deps.schema,
          document: operation.document,
          operationName: operation.operationName,
          variableValues: operation.variables,
          contextValue,
        };
      },
      async subscribe(args) {
        const eventFacts = facts.get(args.contextValue as object);
        if (!eventFacts) throw new Error('subscription without its facts');
        return subscribeWithEventContexts(args, eventFacts, deps.accessLog);
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors) return;
        return { ...result, errors: result.errors.map((error) => deps.formatError(error.toJSON(), error)) };
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map((error) => deps.formatError(error.toJSON(), error));
      },
      onComplete(ctx: Context<Record<string, unknown>, Extra>, id) {
        const connection = connections.get(ctx.extra.socket);
        if (connection) release(connection, id);
      },
      onClose(ctx) {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return;
        clearTimeout(connection.expiry);
        for (const id of [...connection.held]) release(connection, id);
        connections.delete(ctx.extra.socket);
      },
    },
    wss,
  );

  return {
    get open() {
      return perSubject.total;
    },
    get connections() {
      return wss.clients.size;
    },
    async close(deadlineMs = 5_000) {
      closing = true;
      const sockets = [...wss.clients];
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === socket.CLOSED) return resolve();
              const timer = setTimeout(() => {
                socket.terminate();
                resolve();
              }, deadlineMs);
              timer.unref();
              socket.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              socket.close(CLOSE_CODES.goingAway, 'Going away: the gateway is shutting down');
            }),
        ),
      );
      await server.dispose();
      deps.httpServer.off('upgrade', onUpgrade);
      deps.logger.info({ closed: sockets.length }, 'subscriptions closed');
    },
  };
}
