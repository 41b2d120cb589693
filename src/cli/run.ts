import 'reflect-metadata';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { SOURCE_NAMES } from '../modules/index.js';
import { checkConnections, openConnections, SourceConfigError, type Connections } from '../platform/db/connection.js';
import { oneLine, printFailure } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A bad argument: one line, exit code 2 (as for an unknown option). */
export class UsageError extends Error {}

/** The data set named by `--scale` (or SEED_SCALE), or a UsageError listing the valid ones. */
export function checkScale(name: string, scales: readonly string[]): string {
  if (!scales.includes(name)) throw new UsageError(`--scale must be one of ${scales.join(', ')}, got "${name}"`);
  return name;
}

/** `--seed`, or SEED. */
export function checkSeed(value: string | boolean | undefined, fallback: number): number {
  const seed = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number, got "${String(value)}"`);
  return seed;
}

/**
 * Shared frame of the database commands: `--help`, argument errors in one line, the sources
 * opened and checked, and closed again whatever happens.
 */
export async function runCommand<O extends Options>(
  help: string,
  options: O,
  /** Resolves to the exit code (default 0). */
  body: (args: Record<string, string | boolean | undefined>, connections: Connections, config: Config) => Promise<number | void>,
  /** Checks the arguments before any database is opened; throws `UsageError`. */
  check?: (args: Record<string, string | boolean | undefined>, config: Config) => void,
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
    // Several problems: one a line.
    console.error(error instanceof ConfigError ? error.message : oneLine(error));
    process.exit(1);
  }
  try {
    check?.(values, config);
  } catch (error) {
    console.error(oneLine(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  }
  let connections: Connections | undefined;
  let exitCode: number;
  try {
    connections = await openConnections(config, { maintenance: true });
    await checkConnections(connections);
    exitCode = (await body(values, connections, config)) ?? 0;
  } catch (error) {
    if (error instanceof SourceConfigError) console.error(error.message);
    else printFailure(error);
    exitCode = error instanceof UsageError ? 2 : 1;
  } finally {
    await connections?.close();
  }
  // Set after closing: the embedded database's runtime resets process.exitCode when it shuts down.
  process.exitCode = exitCode;
}

export const DATABASE_HELP = `Databases: each source uses <SOURCE>_DATABASE_URL (${SOURCE_NAMES.map((s) => s.toUpperCase()).join(', ')}),
else DATABASE_URL, else the embedded database in DATA_DIR (default ./data/pglite).`;
