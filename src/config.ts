import path from 'node:path';
import { SOURCE_NAMES, sourceUrlVariable, type SourceName } from './sources/source-names.js';

export interface SourceConfig {
  /** PostgreSQL URL; undefined means the embedded database. */
  url?: string;
  /** Which variable the URL came from, for error messages. */
  variable?: string;
}

export interface Config {
  production: boolean;
  port: number;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  sources: Record<SourceName, SourceConfig>;
  seedScale: string;
  seedValue: number;
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from the environment; per-source URLs win over DATABASE_URL. */
export function loadConfig(env: Env = process.env): Config {
  const sources = {} as Record<SourceName, SourceConfig>;
  for (const name of SOURCE_NAMES) {
    const own = sourceUrlVariable(name);
    if (env[own]) sources[name] = { url: env[own], variable: own };
    else if (env.DATABASE_URL) sources[name] = { url: env.DATABASE_URL, variable: 'DATABASE_URL' };
    else sources[name] = {};
  }
  return {
    production: env.NODE_ENV === 'production',
    port: Number(env.PORT ?? 4000),
    dataDir: env.DATA_DIR ?? path.resolve('data', 'pglite'),
    sources,
    seedScale: env.SEED_SCALE ?? 'small',
    seedValue: Number(env.SEED ?? 20241031),
  };
}
