import 'reflect-metadata';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { checkConnections, openConnections, SourceConfigError, type Connections } from '../sources/connection.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Shared frame of the database commands: `--help`, argument errors in one line, the sources
 * opened and checked, and closed again whatever happens.
 */
export async function runCommand<O extends Options>(
  help: string,
  options: O,
  /** Resolves to the exit code (default 0). */
  body: (args: Record<string, string | boolean | undefined>, connections: Connections, config: Config) => Promise<number | void>,
): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(help);
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let connections: Connections | undefined;
  let exitCode: number;
  try {
    connections = await openConnections(config, { maintenance: true });
    await checkConnections(connections);
    exitCode = (await body(values, connections, config)) ?? 0;
  } catch (error) {
    console.error(error instanceof SourceConfigError ? error.message : error);
    exitCode = 1;
  } finally {
    await connections?.close();
  }
  // Set after closing: the embedded database's runtime resets process.exitCode when it shuts down.
  process.exitCode = exitCode;
}

export const DATABASE_HELP = `Databases: each source uses <SOURCE>_DATABASE_URL (REFERENCE, POPULATION, BUSINESS,
SERVICES, OPENDATA, IOC, AUDIT), else DATABASE_URL, else the embedded database in DATA_DIR
(default ./data/pglite).`;
