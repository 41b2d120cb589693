import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { accessLogPlugin } from '../audit/access-log.plugin.js';
import { authenticate, principalOf } from '../auth/authenticate.js';
import { createTokenVerifier } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { createContext, type GraphContext } from '../graph/context.js';
import type { LoaderOptions } from '../loaders/index.js';
import { sourceHealth, type Connections } from '../sources/connection.js';
import type { Repositories } from '../sources/index.js';
import { QueryStats, withQueryStats } from '../sources/query-stats.js';
import { auditPageRouter } from './audit-page/index.js';
import { createErrorFormatter } from './format-error.js';
import { graphiqlRouter } from './graphiql/index.js';
import { httpErrorHandler } from './http-errors.js';
import { documentSizeLimit, queryLimits } from './limits.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { httpStatusPlugin } from './plugins/http-status.plugin.js';
import { observabilityPlugin } from './plugins/observability.plugin.js';
import { statementsPlugin } from './plugins/statements.plugin.js';
import { rateLimit } from './rate-limit.js';
import { trustedDocumentsPlugin } from './trusted-documents/index.js';

export interface AppDeps {
  config: Config;
  schema: GraphQLSchema;
  connections: Connections;
  repos: Repositories;
  logger: Logger;
  loaderOptions?: LoaderOptions;
  /** Benchmark baseline only: false writes no access log. */
  accessLog?: boolean;
}

export interface GatewayApp {
  app: Express;
  httpServer: Server;
  apollo: ApolloServer<GraphContext>;
  /** Releases what the app holds besides the HTTP server (metrics hooks, rate-limit store). */
  dispose(): Promise<void>;
  /** From now on /readyz says "draining", so that load balancers stop sending new requests. */
  startDraining(): void;
}

/** Creates and starts Apollo; if that fails (a missing manifest in production), releases what was set up for it. */
async function startApollo(create: () => ApolloServer<GraphContext>, release: () => Promise<void>): Promise<ApolloServer<GraphContext>> {
  try {
    const apollo = create();
    await apollo.start();
    return apollo;
  } catch (error) {
    await release();
    throw error;
  }
}

/** The caller's X-Request-Id when it is a plain token (it goes into logs), else a fresh one. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(header) ? header : randomUUID();
}

export async function createApp(deps: AppDeps): Promise<GatewayApp> {
  const { config, schema, connections, repos, logger } = deps;
  const app = express();
  const httpServer = createServer(app);
  const metrics = createMetrics(connections);
  const limits = queryLimits(config.limits, config.production);
  const limiter = rateLimit(config.limits.rateLimitPerMinute, config.redisUrl);

  const apollo = await startApollo(() => new ApolloServer<GraphContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // Signals are handled by the process (src/cli/start.ts), which drains and then exits.
    stopOnTerminationSignals: false,
    // One operation per HTTP request: batching multiplies the cost of a request past the limits.
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: { maxTokens: config.limits.maxTokens },
    formatError: createErrorFormatter({ production: config.production, log: (error) => logger.error({ err: error }, 'unexpected error') }),
    plugins: [
      // On stop: no new connections, requests in flight (and their access-log writes) finish.
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL responses here; the default plugin wraps every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      // First: in production only documents of the manifest run (by hash), before anything reads the query.
      trustedDocumentsPlugin({ enforce: config.production, logger }),
      ...limits.plugins,
      ...(deps.accessLog === false
        ? []
        : [
            accessLogPlugin({
              append: (entries) => repos.audit.accessLog.append(entries),
              onWritten: (entries) => metrics.accessLogWritten(entries),
              onWriteFailure: (error, requestId) => {
                metrics.accessLogFailed();
                logger.error({ err: error, requestId }, 'access log write failed; personal data withheld');
              },
            }),
          ]),
      observabilityPlugin(logger, metrics),
      httpStatusPlugin(),
      ...(config.production ? [] : [statementsPlugin()]),
    ],
  }), async () => {
    metrics.stop();
    await limiter.close();
  });

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  let draining = false;
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const sources = await sourceHealth(connections);
    const ready = Object.values(sources).every((health) => health.status === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'degraded', sources });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.use('/audit', auditPageRouter());
  app.use('/graphiql', graphiqlRouter({ enabled: !config.production }));
  app.use(
    '/graphql',
    // Every SQL statement issued while serving this request is counted on its QueryStats.
    (_req, _res, next) => withQueryStats(new QueryStats(), next),
    authenticate(createTokenVerifier(config.auth)),
    limiter.middleware,
    express.json({ limit: config.limits.maxBodyBytes, type: ['application/json', 'application/graphql-response+json'] }),
    documentSizeLimit(config.limits.maxDocumentBytes),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GraphContext> =>
        createContext(requestIdOf(req.headers['x-request-id']), principalOf(res), repos, deps.loaderOptions),
    }),
  );
  app.use(httpErrorHandler((error) => logger.error({ err: error }, 'unexpected HTTP error')));
  return {
    app,
    httpServer,
    apollo,
    startDraining() {
      draining = true;
    },
    async dispose() {
      metrics.stop();
      await limiter.close();
    },
  };
}
