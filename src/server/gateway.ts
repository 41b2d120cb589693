import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scaleNamed, seedAll } from '../../seeds/index.js';
import type { Config } from '../config.js';
import { buildGatewaySchema } from '../graph/schema.js';
import type { LoaderOptions } from '../loaders/index.js';
import { checkConnections, openConnections, type Connections } from '../sources/connection.js';
import { createRepositories } from '../sources/index.js';
import { migrateAll } from '../sources/migrate.js';
import { createApp } from './app.js';

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
  log?: (message: string) => void;
  /** Already opened sources (tests that seeded them); they stay open when the gateway closes. */
  connections?: Connections;
}

export interface RunningGateway {
  url: string;
  connections: Connections;
  close(): Promise<void>;
}

/** Opens the sources, migrates, seeds if empty, and serves the gateway over HTTP. */
export async function startGateway(config: Config, options: StartOptions = {}): Promise<RunningGateway> {
  const log = options.log ?? (() => undefined);
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
      log(`Seeding the ${config.seedScale} data set (seed ${config.seedValue})...`);
      await seedAll(connections, scaleNamed(config.seedScale), config.seedValue, log);
    }
    const security = options.security ?? true;
    if (!security && config.production) throw new Error('Security cannot be turned off in production mode');
    const schema = await buildGatewaySchema({ guardPersonalData: security });
    const { app, apollo } = await createApp({ config, schema, connections, repos, loaderOptions: options.loaderOptions, accessLog: security });
    const server: Server = await new Promise((resolve, reject) => {
      const listening = app.listen(options.port ?? config.port, options.host ?? '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
      connections,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await apollo.stop();
        await closeConnections();
      },
    };
  } catch (error) {
    await closeConnections();
    throw error;
  }
}
