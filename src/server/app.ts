import { createServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerOptions, type ApolloServerOptionsWithSchema } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { accessLogPlugin } from './plugins/access-log/plugin.js';
import { AccessLogTimeoutError } from './plugins/access-log/writer.js';
import { authenticate, cursorBindingOf, principalOf } from '../auth/authenticate.js';
import { createTokenVerifier } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { accessOptions } from '../access/request.js';
import type { GraphContext } from '../modules/context.js';
import { createContext } from '../modules/request-context.js';
import type { LoaderOptions } from '../modules/loaders.js';
import type { CursorCodec } from '../platform/db/cursors.js';
import { replicaHealth, sourceHealth, type Connections } from '../platform/db/connection.js';
import { countedRepositories, type Repositories } from '../modules/repositories.js';
import { QueryStats } from '../platform/db/query-stats.js';
import { SourceUnavailableError } from '../platform/db/source-errors.js';
import { auditPageRouter } from './audit-page/index.js';
import { startAccessLogTransparency } from './well-known/access-log.js';
import { createErrorFormatter } from './format-error.js';
import { graphiqlRouter } from './graphiql/index.js';
import { httpDrain, type DrainResult } from './http-drain.js';
import { httpErrorHandler } from './http-errors.js';
import { documentSizeLimit, queryLimits } from './limits.js';
import { logSourceState, type Logger } from './logger.js';
import { createMetrics, metricsHandler } from './metrics.js';
import { httpStatusPlugin } from './plugins/http-status/index.js';
import { observabilityPlugin } from './plugins/observability/index.js';
import { statementsPlugin } from './plugins/statements/index.js';
import { batchTracing, requestTracing, tracingOn, tracingPlugin } from './plugins/tracing/index.js';
import { rateLimit } from './rate-limit.js';
import { assignRequestId, requestIdOfResponse } from './request-id.js';
import { inSequence } from './middleware-chain.js';
import { trustedDocumentsPlugin } from './trusted-documents/index.js';
// Not ./subgraph/index.js: its server (a second schema, @apollo/subgraph) is imported when /subgraph is first called.
import { routerTokenGate } from './subgraph/router-token.js';
import type { SubgraphSettings } from './subgraph/settings.js';
import { startSubscriptions, type GatewaySubscriptions } from './subscriptions/gateway.js';

/** Beyond the audit source's statement timeout, how long a request may wait for its access-log entries. */
const ACCESS_LOG_MARGIN_MS = 500;

export interface AppDeps {
  config: Config;
  schema: GraphQLSchema;
  connections: Connections;
  repos: Repositories;
  logger: Logger;
  loaderOptions?: LoaderOptions;
  /** The gateway's cursor codec (CURSOR_SECRET), bound to each request's caller on its context. */
  cursors: CursorCodec;
  /** Benchmark baseline only: false writes no access log. */
  accessLog?: boolean;
  /** /subgraph, the schema as a Federation 2 subgraph (src/server/subgraph); without settings, not served in production. */
  subgraph?: SubgraphSettings;
}

export interface GatewayApp {
  app: Express;
  httpServer: Server;
  apollo: ApolloServer<GraphContext>;
  /** Releases what the app holds besides the HTTP server (metrics hooks, rate-limit store). */
  dispose(): Promise<void>;
  /**
   * From now on /readyz says "draining", so that load balancers stop sending new requests. Keep-
   * alive goes on meanwhile: connections closed now would be reopened at once, to this gateway.
   */
  startDraining(): void;
  /** Stops accepting and waits for every request accepted, access-log entries included (see http-drain.ts). */
  drain(deadlineMs: number): Promise<DrainResult>;
  /** GraphQL subscriptions (graphql-ws) on /graphql, closed (1001) at the start of the drain. */
  subscriptions: GatewaySubscriptions;
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

export async function createApp(deps: AppDeps): Promise<GatewayApp> {
  const { config, schema, connections, repos, logger } = deps;
  const app = express();
  // Behind a load balancer, req.ip (the rate limit's key for anonymous callers) is the caller's.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  const httpServer = createServer(app);
  const http = httpDrain(httpServer);
  // Expected outages: one warning when a source goes and one when it is back, never per field.
  const sourceStates = connections.events.watchStates(logSourceState(logger));
  // Read replicas likewise: a line per change of status; their primaries serve meanwhile.
  const replicaWatches = Object.values(connections.replicas ?? {}).map((replica) =>
    replica.onChange((health) => {
      if (health.status === 'up') logger.info({ source: replica.source, replica: replica.describe }, `read replica of ${replica.source} is back: reads go to it again`);
      else logger.warn({ source: replica.source, replica: replica.describe, status: health.status, reason: health.reason }, `read replica of ${replica.source} is ${health.status}: its reads go to the primary`);
    }),
  );
  const stopReplicaWatches = () => {
    for (const stop of replicaWatches) stop();
  };
  const metrics = createMetrics(connections);
  const limits = queryLimits(config.limits, config.production);
  const limiter = await rateLimit(config.limits.rateLimitPerMinute, config.redisUrl);

  const accessLog = accessLogPlugin({
    append: (entries) => repos.audit.accessLog.write(entries),
    onWritten: (entries) => {
      metrics.accessLogWritten(entries);
      // The embedded audit source has no driver wrapper to tell its recovery: the writer does.
      sourceStates.report('audit', 'up');
    },
    onWriteFailure: (error, requestId) => {
      metrics.accessLogFailed();
      // An unavailable or too slow audit source is an outage, told once by the source watch;
      // anything else is a bug, logged with its stack.
      if (error instanceof SourceUnavailableError || error instanceof AccessLogTimeoutError) sourceStates.report('audit', 'down', error);
      else logger.error({ err: error, requestId }, 'access log write failed; personal data withheld');
    },
    // A request waits for its entries no longer than the audit source's statement timeout, plus
    // a margin for the round trip (a batch the server cancels fails at about the timeout).
    writer: { timeoutMs: config.sources.audit.statementTimeoutMs + ACCESS_LOG_MARGIN_MS },
  });

  const trustedDocuments = trustedDocumentsPlugin({ enforce: config.production, logger, manifests: config.trustedDocuments });
  const apolloOptions: ApolloServerOptionsWithSchema<GraphContext> = {
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // Signals are handled by the process (src/cli/start.ts), which drains and then exits.
    stopOnTerminationSignals: false,
    // One operation per HTTP request: batching multiplies the cost of a request past the limits.
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: { maxTokens: config.limits.maxTokens },
    // No log here: the observability plugin names the request in masked errors and logs their causes.
    formatError: createErrorFormatter({ production: config.production }),
    plugins: [
      // No ApolloServerPluginDrainHttpServer: it ends idle keep-alive connections at once, under
      // requests their clients are sending, and destroys busy ones after 10 s. The gateway
      // drains HTTP itself (http-drain.ts) before it stops Apollo.
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL responses here; the default plugin wraps every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      // First: in production only trusted documents run (by id, for their client app), before anything reads the query.
      trustedDocuments,
      ...limits.plugins,
      ...(deps.accessLog === false
        ? []
        : [
            accessLog,
          ]),
      observabilityPlugin(logger, metrics),
      httpStatusPlugin(),
      ...(config.production ? [] : [statementsPlugin()]),
      // OpenTelemetry spans, only when the SDK runs (OTEL_EXPORTER_OTLP_ENDPOINT).
      ...(tracingOn() ? [tracingPlugin(connections.events)] : []),
    ],
  };
  // GRAPHQL_EXECUTOR=jit (the default): /graphql executes through graphql-jit plans (trusted documents planned at
  // start); Apollo stays the HTTP and plugin layer. /subgraph keeps graphql-js (federation's _entities).
  // Imported only then: with graphql-js, graphql-jit and its JSON serializer (ajv) would stay in memory unused.
  const jit = config.executor === 'jit' ? new (await import('./execution/jit.js')).JitExecution(schema, { documents: () => trustedDocuments.documents.texts() }) : undefined;
  const { schema: _schema, plugins = [], ...withoutSchema } = apolloOptions;
  const mainOptions: ApolloServerOptions<GraphContext> = jit
    ? { ...withoutSchema, gateway: jit.gateway(), plugins: plugins.flatMap((plugin) => (plugin === trustedDocuments ? [plugin, jit.plugin<GraphContext>()] : [plugin])) }
    : apolloOptions;
  // What was started before Apollo, released when the gateway stops or fails to start.
  const releaseStarted = async () => {
    sourceStates.stop();
    stopReplicaWatches();
    metrics.stop();
    await limiter.close();
  };
  const apollo = await startApollo(() => new ApolloServer<GraphContext>(mainOptions), releaseStarted);
  // /subgraph: the same options over the schema as a Federation 2 subgraph, minus trusted documents
  // (the router token stands in). Made on its first request: its schema, Apollo server and
  // @apollo/subgraph are megabytes of heap that a gateway no router calls would hold for nothing,
  // and V8 lets the old generation grow to a multiple of what stays live. A production gateway
  // with a router token makes it at start (a router is expected; a broken schema stops the start).
  let subgraph: Promise<ApolloServer<GraphContext>> | undefined;
  let subgraphStopped = false;
  const subgraphServer = (): Promise<ApolloServer<GraphContext>> =>
    (subgraph ??= (async () => {
      const { createSubgraphServer } = await import('./subgraph/index.js');
      if (subgraphStopped) throw new Error('the gateway is stopping');
      const server = createSubgraphServer(apolloOptions, { without: [trustedDocuments], maxRepresentations: config.limits.maxNodeLookups });
      await server.start();
      return server;
    })().catch((error: unknown) => {
      // Tried again on the next request rather than failing every one after.
      subgraph = undefined;
      throw error;
    }));
  const stopSubgraph = async () => {
    subgraphStopped = true;
    const started = await subgraph?.catch(() => undefined);
    await started?.stop();
  };
  if (config.production && deps.subgraph?.routerToken) {
    await subgraphServer().catch(async (error: unknown) => {
      await apollo.stop();
      await releaseStarted();
      throw error;
    });
  }

  // The access log's integrator (the lease holder grows the tree and signs) and its public key and checkpoint.
  const transparency = await startAccessLogTransparency({ config, connections, repos, logger }).catch(async (error: unknown) => {
    await apollo.stop();
    await stopSubgraph();
    await releaseStarted();
    throw error;
  });

  app.disable('x-powered-by');
  // Every loader batch is seen by this gateway's metrics, through the loaders' options.
  const loaderOptions: LoaderOptions = { batch: true, ...deps.loaderOptions, onBatch: metrics.loaderBatch, ...batchTracing() };
  // The access package's configuration (criterion hash key, statistics' k): one object per gateway.
  const access = accessOptions(config);
  const context = async ({ res }: { res: express.Response }): Promise<GraphContext> => {
    const requestId = requestIdOfResponse(res);
    try {
      const principal = principalOf(res);
      // Cursors made and read for this request are bound to its caller; its repositories count its statements.
      const statements = new QueryStats();
      const counted = countedRepositories(connections, statements);
      return createContext(requestId, principal, counted, deps.cursors.boundTo(cursorBindingOf(principal)), loaderOptions, access, statements);
    } catch (error) {
      // Apollo answers this outside its request pipeline, where no plugin names the request: logged here.
      logger.error({ err: error, requestId }, 'unexpected error');
      throw error;
    }
  };
  const graphql = expressMiddleware(apollo, { context });
  let subgraphGraphql: express.RequestHandler | undefined;
  const serveSubgraph: express.RequestHandler = (req, res, next) =>
    http.track(
      subgraphServer().then(
        (server) => (subgraphGraphql ??= expressMiddleware(server, { context }))(req, res, next),
        (error: unknown) => next(error),
      ),
    );
  // What /graphql and /subgraph do before GraphQL runs, after the request id.
  const front: express.RequestHandler[] = [
    authenticate(createTokenVerifier(config.auth)),
    ...(limiter.middleware ? [limiter.middleware] : []),
    express.json({ limit: config.limits.maxBodyBytes, type: ['application/json', 'application/graphql-response+json'] }),
    documentSizeLimit(config.limits.maxDocumentBytes),
  ];
  // Mounted first, and as one router layer each: the router matches every layer before the one
  // that answers, and each middleware of a mount would be a layer of its own.
  app.use(
    '/graphql',
    inSequence([
      assignRequestId,
      // While tracing: the request's span, child of the caller's traceparent.
      ...requestTracing(),
      ...front,
      // Tracked to its end, access-log write included, even when the client has gone.
      (req, res, next) => http.track(graphql(req, res, next)),
    ]),
  );
  app.use('/subgraph', inSequence([assignRequestId, ...requestTracing(), routerTokenGate(deps.subgraph ?? {}, config.production), ...front, serveSubgraph]));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  let draining = false;
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const [sources, replicas] = await Promise.all([sourceHealth(connections), replicaHealth(connections)]);
    // A replica down or lagging is reported, not a reason to leave rotation: its primary serves the reads.
    const ready = Object.values(sources).every((health) => health.status === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'degraded', sources, ...(replicas ? { replicas } : {}) });
  });
  app.get('/metrics', metricsHandler(metrics, { production: config.production, token: config.metricsToken }));
  app.use('/audit', auditPageRouter());
  app.use('/.well-known/access-log', transparency.router);
  app.use('/graphiql', graphiqlRouter({ enabled: !config.production }));
  app.use(httpErrorHandler((error, requestId) => logger.error({ err: error, requestId }, 'unexpected HTTP error')));
  // Subscriptions over graphql-ws on the same port and path (WebSocket upgrade), with the same context.
  const subscriptions = startSubscriptions({
    config, httpServer, schema, connections, repos, logger, documents: trustedDocuments.documents, validationRules: limits.validationRules, accessLog: deps.accessLog !== false,
    context: (principal, requestId) => {
      const statements = new QueryStats();
      return createContext(requestId, principal, countedRepositories(connections, statements), deps.cursors.boundTo(cursorBindingOf(principal)), loaderOptions, access, statements);
    },
  });
  return {
    app,
    httpServer,
    apollo,
    subscriptions,
    startDraining() {
      draining = true;
    },
    async drain(deadlineMs) {
      draining = true;
      // Subscribers are told first (close 1001): their sockets would hold the HTTP server open.
      await subscriptions.close(Math.min(deadlineMs, 5_000));
      const result = await http.drain(deadlineMs);
      // Entries of requests that timed out waiting may still be on their way: they land (or
      // fail) before the pools close, never against a destroyed pool.
      await Promise.race([accessLog.settled(), new Promise((resolve) => setTimeout(resolve, ACCESS_LOG_MARGIN_MS + config.sources.audit.statementTimeoutMs).unref())]);
      return result;
    },
    async dispose() {
      await subscriptions.close();
      await stopSubgraph();
      await transparency.stop();
      await releaseStarted();
    },
  };
}
