import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger } from '../server/logger.js';
import { DevelopmentKeyOnNetworkError } from '../auth/tokens.js';
import { SourceConfigError, type Connections } from '../platform/db/connection.js';
import { startGateway, type RunningGateway } from '../server/gateway.js';
import { ManifestError } from '../server/trusted-documents/index.js';
import { createRepositories } from '../modules/repositories.js';
import { listenProblem, oneLine } from './errors.js';

const HELP = `Usage: npm start [-- --seed]          (development, from the TypeScript sources)
       npm run start:prod [-- --seed]   (compiled: npm run build first)

Serves the gateway on PORT (default 4000) and HOST (default 127.0.0.1). Migrates the sources
first. Outside production, empty databases are seeded with the synthetic SEED_SCALE data set
(default small) unless SEED_ON_START=false; in production they are never seeded unless asked
for (--seed or SEED_ON_START=true), and an empty database stops the start.`;

let seedFlag = false;
try {
  const { values } = parseArgs({ options: { seed: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  seedFlag = values.seed === true;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // Every bad or missing variable at once, in plain words.
  console.error(error instanceof ConfigError ? error.message : oneLine(error));
  process.exit(1);
}

const logger = createLogger(config.logLevel);
// Traces only with a collector to send them to; unset, the SDK is not even loaded.
const telemetry = config.telemetry.endpoint ? (await import('../platform/telemetry/sdk.js')).startTelemetry(config.telemetry) : undefined;
if (telemetry) logger.info({ endpoint: config.telemetry.endpoint }, 'OpenTelemetry traces go to the OTLP endpoint');
const seedIfEmpty = seedFlag || (config.seedOnStart ?? !config.production);

/** Synthetic data for an empty database; seeds/ (and faker) are loaded only when it is wanted. */
async function seedWhenEmpty(connections: Connections): Promise<void> {
  if ((await createRepositories(connections).reference.units.count({})) > 0) return;
  const { scaleNamed, seedAll } = await import('../seed/index.js').catch((error: NodeJS.ErrnoException) => {
    // An install without the development dependencies (npm ci --omit=dev) has no faker.
    if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new SourceConfigError(
      `the databases are empty and seeding them needs the development dependencies (${oneLine(error)}): install them (npm ci), or load data, or set SEED_ON_START=false`,
    );
  });
  logger.info({ scale: config.seedScale, seed: config.seedValue }, 'seeding the empty databases');
  await seedAll(connections, scaleNamed(config.seedScale), config.seedValue, (message) => logger.info(message));
}

// Signal handlers go in before the gateway says it is ready: a supervisor may send SIGTERM right
// after, and a signal with no handler yet would kill the process with requests in flight.
let gateway: RunningGateway | undefined;
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  try {
    // Still starting: startGateway's completion (below) sees `stopping` and closes it.
    if (!gateway) return;
    await gateway.close({ graceMs: config.shutdownGraceMs });
    // The last spans (the drain's requests) go out before the process ends.
    await telemetry?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'traces not flushed'));
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean stop');
    process.exit(1);
  }
};
// `on`, not `once`: Ctrl+C reaches this process twice (from the terminal and forwarded by npm),
// and a second signal with no listener would kill it in the middle of the drain.
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  gateway = await startGateway(config, { logger, host: process.env.HOST ?? '127.0.0.1', prepare: seedIfEmpty ? seedWhenEmpty : undefined });
  if (stopping) {
    await gateway.close();
    process.exit(0);
  }
  logger.info({ url: gateway.url }, 'gateway ready');
  console.log(`City data gateway ready at ${gateway.url}`);
} catch (error) {
  const listen = listenProblem(error, config.port);
  if (listen) console.error(listen);
  else if (error instanceof SourceConfigError || error instanceof DevelopmentKeyOnNetworkError || error instanceof ManifestError) console.error(error.message);
  else logger.error({ err: error }, 'the gateway could not start');
  process.exit(1);
}
