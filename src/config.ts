import path from 'node:path';
import { SOURCE_NAMES, sourceUrlVariable, type SourceName } from './sources/source-names.js';

export interface SourceConfig {
  /** PostgreSQL URL; undefined means the embedded database. */
  url?: string;
  /** Which variable the URL came from, for error messages. */
  variable?: string;
}

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** Keys of the identity provider (production); without it the development key is used. */
  jwksUrl?: string;
  /** HS256 development key; never set in production. */
  devSecret?: string;
}

/** Development only: a known key so that `npm run token` works out of the box. */
export const DEV_SECRET = 'danang-city-data-gateway-development-key-do-not-use-in-production';

export interface Config {
  production: boolean;
  auth: AuthConfig;
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
  const production = env.NODE_ENV === 'production';
  return {
    production,
    auth: {
      issuer: env.AUTH_ISSUER ?? 'urn:danang:city-data-gateway:dev',
      audience: env.AUTH_AUDIENCE ?? 'city-data-gateway',
      jwksUrl: env.AUTH_JWKS_URL || undefined,
      devSecret: production ? undefined : (env.AUTH_DEV_SECRET ?? DEV_SECRET),
    },
    port: Number(env.PORT ?? 4000),
    dataDir: env.DATA_DIR ?? path.resolve('data', 'pglite'),
    sources,
    seedScale: env.SEED_SCALE ?? 'small',
    seedValue: Number(env.SEED ?? 20241031),
  };
}
