import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger } from '../server/logger.js';
import { SourceConfigError } from '../sources/connection.js';
import { startGateway, type RunningGateway } from '../server/gateway.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // Every bad or missing variable at once, in plain words.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const logger = createLogger(config.logLevel);

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
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean stop');
    process.exit(1);
  }
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));

try {
  gateway = await startGateway(config, { logger, host: process.env.HOST ?? '127.0.0.1' });
  if (stopping) {
    await gateway.close();
    process.exit(0);
  }
  logger.info({ url: gateway.url }, 'gateway ready');
  console.log(`City data gateway ready at ${gateway.url}`);
} catch (error) {
  if (error instanceof SourceConfigError) console.error(error.message);
  else logger.error({ err: error }, 'the gateway could not start');
  process.exit(1);
}
