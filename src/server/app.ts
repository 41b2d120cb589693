import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { accessLogPlugin } from '../audit/access-log.plugin.js';
import { authenticate, principalOf } from '../auth/authenticate.js';
import { createTokenVerifier } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { createContext, type GraphContext } from '../graph/context.js';
import type { LoaderOptions } from '../loaders/index.js';
import { checkConnections, type Connections } from '../sources/connection.js';
import type { Repositories } from '../sources/index.js';
import { currentQueryStats, QueryStats, withQueryStats } from '../sources/query-stats.js';
import { auditPageRouter } from './audit-page/index.js';
import { createErrorFormatter } from './format-error.js';

export interface AppDeps {
  config: Config;
  schema: GraphQLSchema;
  connections: Connections;
  repos: Repositories;
  loaderOptions?: LoaderOptions;
  /** Benchmark baseline only: false writes no access log. */
  accessLog?: boolean;
  log?: (message: string, detail?: unknown) => void;
}

export interface GatewayApp {
  app: Express;
  apollo: ApolloServer<GraphContext>;
}

/**
 * Outside production each response says how many SQL statements its data cost, per source (the
 * access log's write runs alongside and is not included).
 */
function statementsPlugin(): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const stats = currentQueryStats();
          if (!stats || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            sqlStatements: { total: stats.total, bySource: stats.bySource },
          };
        },
      };
    },
  };
}

export async function createApp(deps: AppDeps): Promise<GatewayApp> {
  const { config, schema, connections, repos } = deps;
  const log = deps.log ?? ((message: string, detail?: unknown) => console.error(message, detail ?? ''));
  const apollo = new ApolloServer<GraphContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter({ log: (error) => log('unexpected error', error) }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(deps.accessLog === false
        ? []
        : [accessLogPlugin({ onWriteFailure: (error, requestId) => log(`access log write failed (request ${requestId}); personal data withheld`, error) })]),
      ...(config.production ? [] : [statementsPlugin()]),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await checkConnections(connections);
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: (error as Error).message });
    }
  });
  app.use('/audit', auditPageRouter());
  app.use(
    '/graphql',
    // Every SQL statement issued while serving this request is counted on its QueryStats.
    (_req, _res, next) => withQueryStats(new QueryStats(), next),
    authenticate(createTokenVerifier(config.auth)),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GraphContext> =>
        createContext((req.headers['x-request-id'] as string | undefined) ?? randomUUID(), principalOf(res), repos, deps.loaderOptions),
    }),
  );
  return { app, apollo };
}
