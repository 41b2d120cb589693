import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { buildGatewaySchema } from '../modules/schema.js';
import type { LoaderOptions } from '../modules/loaders.js';
import { checkConnections, openConnections, SourceConfigError, type Connections } from '../platform/db/connection.js';
import { createRepositories } from '../modules/repositories.js';
import { CursorCodec } from '../platform/db/cursors.js';
import { refuseDevKeyOnNetwork } from '../auth/tokens.js';
import { migrateAll } from '../modules/migrate.js';
import { createApp } from './app.js';
import type { GatewaySubscriptions } from './subscriptions/gateway.js';
import { createLogger, type Logger } from './logger.js';

export interface StartOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /**
   * Runs after the migrations, before the data is checked and served: `npm start` seeds an empty
   * development database here. The server itself never loads synthetic data.
   */
  prepare?: (connections: Connections) => Promise<void>;
  loaderOptions?: LoaderOptions;
  /**
   * Benchmark baselines only: `false` serves personal fields without the policy's field guard and
   * writes no access log, to measure what the two cost. Row scopes stay.
   */
  security?: boolean;
  logger?: Logger;
  /** Already opened sources (tests that seeded them); they stay open when the gateway closes. */
  connections?: Connections;
}

export interface RunningGateway {
  url: string;
  connections: Connections;
  /** GraphQL subscriptions (graphql-ws) on the same URL: open counts, the change notifications. */
  subscriptions: GatewaySubscriptions;
  /**
   * Graceful: during `graceMs` /readyz answers 503 while requests are still served (load
   * balancers move away); then stops accepting, answers with `Connection: close`, lets every
   * request accepted finish (its response and its access-log entries), and closes the pools. Requests still running `deadlineMs` after that (default 30 s) are cut, and logged.
   */
  close(options?: { graceMs?: number; deadlineMs?: number }): Promise<void>;
}

/** The databases hold no data: production refuses to serve them (nothing would answer but empty lists). */
export class EmptyDatabaseError extends SourceConfigError {}

/** Opens the sources, migrates, and serves the gateway over HTTP. */
export async function startGateway(config: Config, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(process.env.VITEST ? 'silent' : config.logLevel);
  // Before anything is opened: a development key on the network is refused outright.
  refuseDevKeyOnNetwork(config.auth, options.host ?? '127.0.0.1');
  const owned = !options.connections;
  const connections = options.connections ?? (await openConnections(config));
  const closeConnections = async () => {
    if (owned) await connections.close();
  };
  try {
    await checkConnections(connections);
    await migrateAll(connections);
    const repos = createRepositories(connections);
    await options.prepare?.(connections);
    if ((await repos.reference.units.count({})) === 0) {
      const what = 'the databases are empty (no administrative units in the reference source)';
      if (config.production) {
        throw new EmptyDatabaseError(
          `${what}: run \`npm run db:migrate\` and load the departments' data, or seed synthetic data explicitly with \`npm run db:seed -- --scale <tiny|small|medium|city>\``,
        );
      }
      logger.warn(`${what}: serving empty lists (\`npm run db:seed\` loads synthetic data)`);
    }
    const security = options.security ?? true;
    if (!security && config.production) throw new Error('Security cannot be turned off in production mode');
    const schema = await buildGatewaySchema({ guardPersonalData: security });
    const { httpServer, apollo, dispose, startDraining, drain, subscriptions } = await createApp({
      config,
      schema,
      connections,
      repos,
      logger,
      loaderOptions: options.loaderOptions,
      // This gateway's own key: another gateway in the process (another secret) reads none of its cursors.
      cursors: CursorCodec.fromSecret(config.cursorSecret),
      accessLog: security,
      subgraph: config.subgraph,
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? config.port, host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    return {
      url: `http://${host}:${port}/graphql`,
      connections,
      subscriptions,
      async close({ graceMs = 0, deadlineMs = 30_000 } = {}) {
        startDraining();
        if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
        // Every request accepted is answered, access log included, before Apollo and the pools stop.
        const { cut, ms } = await drain(deadlineMs);
        if (cut > 0) logger.error({ cut, deadlineMs }, `shutdown deadline reached: ${cut} requests still running were cut`);
        else logger.info({ drainMs: ms }, 'requests in flight finished');
        await apollo.stop();
        await dispose();
        await closeConnections();
      },
    };
  } catch (error) {
    await closeConnections();
    throw error;
  }
}
