import type { Server } from 'node:http';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Principal } from '../../access/principal.js';
import { createTokenVerifier } from '../../auth/tokens.js';
import type { Config } from '../../config.js';
import type { GraphContext } from '../../modules/context.js';
import type { SourceName } from '../../modules/index.js';
import type { Repositories } from '../../modules/repositories.js';
import type { Connections } from '../../platform/db/connection.js';
import { SourceNotifications } from '../../platform/db/notifications.js';
import { createErrorFormatter } from '../format-error.js';
import type { Logger } from '../logger.js';
import { AccessLogWriter } from '../plugins/access-log/writer.js';
import type { TrustedDocumentSet } from '../trusted-documents/index.js';
import { attachSubscriptions, type Subscriptions } from './index.js';

export interface GatewaySubscriptionsDeps {
  config: Config;
  httpServer: Server;
  schema: GraphQLSchema;
  connections: Connections;
  repos: Repositories;
  logger: Logger;
  documents: TrustedDocumentSet;
  validationRules: readonly ValidationRule[];
  /** The HTTP endpoint's request context, for a principal. */
  context(principal: Principal, requestId: string): GraphContext;
  /** Benchmark baseline only: false writes no access log. */
  accessLog: boolean;
}

export interface GatewaySubscriptions extends Subscriptions {
  notifications: SourceNotifications;
}

/** The gateway's subscriptions: its one listener per source, the WebSocket endpoint, the events' access log. */
export function startSubscriptions(deps: GatewaySubscriptionsDeps): GatewaySubscriptions {
  const { config, logger } = deps;
  const urls: Partial<Record<SourceName, string>> = {};
  for (const [name, settings] of Object.entries(config.sources) as Array<[SourceName, Config['sources'][SourceName]]>) if (settings.url) urls[name] = settings.url;
  const notifications = new SourceNotifications(deps.connections, urls, {
    onProblem: (source, error) => logger.warn({ source, reason: (error as Error).message }, `change notifications of ${source}: listening again`),
  });
  // Its own writer (same append, same bounds as the HTTP plugin's): an event waits for its entries.
  const writer = new AccessLogWriter((batch) => deps.repos.audit.accessLog.write(batch), { timeoutMs: config.sources.audit.statementTimeoutMs + 500 });
  const subscriptions = attachSubscriptions({
    httpServer: deps.httpServer,
    schema: deps.schema,
    limits: config.limits,
    production: config.production,
    documents: deps.documents,
    validationRules: deps.validationRules,
    verify: createTokenVerifier(config.auth),
    context: deps.context,
    notifications,
    accessLog: {
      write: deps.accessLog ? (entries) => writer.write(entries) : null,
      onWriteFailure: (error, requestId) => logger.error({ err: error, requestId }, 'access log write failed; subscription event withheld'),
    },
    formatError: createErrorFormatter({ production: config.production, log: (error) => logger.error({ err: error }, 'unexpected error in a subscription') }),
    logger,
  });
  let closed: Promise<void> | undefined;
  return {
    notifications,
    get open() {
      return subscriptions.open;
    },
    get connections() {
      return subscriptions.connections;
    },
    close(deadlineMs) {
      closed ??= (async () => {
        await subscriptions.close(deadlineMs);
        await notifications.close();
        await writer.idle();
      })();
      return closed;
    },
  };
}
