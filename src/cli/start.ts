import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { SourceConfigError } from '../sources/connection.js';
import { startGateway } from '../server/gateway.js';

const config = loadConfig();
try {
  const gateway = await startGateway(config, { log: (message) => console.log(message) });
  console.log(`City data gateway ready at ${gateway.url}`);
  const stop = async () => {
    await gateway.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error(error instanceof SourceConfigError ? error.message : error);
  process.exit(1);
}
