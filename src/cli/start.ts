import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger } from '../server/logger.js';
import { SourceConfigError } from '../sources/connection.js';
import { startGateway } from '../server/gateway.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // Every bad or missing variable at once, in plain words.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
try {
  const gateway = await startGateway(config, { logger, host: process.env.HOST ?? '127.0.0.1' });
  logger.info({ url: gateway.url }, 'gateway ready');
  console.log(`City data gateway ready at ${gateway.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    try {
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
} catch (error) {
  if (error instanceof SourceConfigError) console.error(error.message);
  else logger.error({ err: error }, 'the gateway could not start');
  process.exit(1);
}
