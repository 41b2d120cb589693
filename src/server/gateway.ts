import type { AddressInfo } from 'node:net';
import { scaleNamed, seedAll } from '../../seeds/index.js';
import type { Config } from '../config.js';
import { buildGatewaySchema } from '../graph/schema.js';
import type { LoaderOptions } from '../loaders/index.js';
import { checkConnections, openConnections, type Connections } from '../sources/connection.js';
import { createRepositories } from '../sources/index.js';
import { setCursorSecret } from '../sources/keyset.js';
import { migrateAll } from '../sources/migrate.js';
import { createApp } from './app.js';
import { createLogger, type Logger } from './logger.js';

export interface StartOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** Seed when the databases are empty (default true): `npm start` must just work. */
  seedIfEmpty?: boolean;
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
  /**
   * Graceful: during `graceMs` /readyz answers 503 while requests are still served (load
   * balancers move away); then stops accepting, lets requests in flight finish (access log
   * included), and closes the pools.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Opens the sources, migrates, seeds if empty, and serves the gateway over HTTP. */
export async function startGateway(config: Config, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(process.env.VITEST ? 'silent' : config.logLevel);
  const owned = !options.connections;
  const connections = options.connections ?? (await openConnections(config));
  const closeConnections = async () => {
    if (owned) await connections.close();
  };
  try {
    await checkConnections(connections);
    await migrateAll(connections);
    const repos = createRepositories(connections);
    if ((options.seedIfEmpty ?? true) && (await repos.reference.units.count({})) === 0) {
      logger.info({ scale: config.seedScale, seed: config.seedValue }, 'seeding the empty databases');
      await seedAll(connections, scaleNamed(config.seedScale), config.seedValue, (message) => logger.info(message));
    }
    setCursorSecret(config.cursorSecret);
    const security = options.security ?? true;
    if (!security && config.production) throw new Error('Security cannot be turned off in production mode');
    const schema = await buildGatewaySchema({ guardPersonalData: security });
    const { httpServer, apollo, dispose, startDraining } = await createApp({
      config,
      schema,
      connections,
      repos,
      logger,
      loaderOptions: options.loaderOptions,
      accessLog: security,
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
      async close({ graceMs = 0 } = {}) {
        startDraining();
        if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
        // The drain plugin closes the server and waits for the requests in flight.
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
