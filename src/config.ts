import path from 'node:path';
import { SOURCE_NAMES } from './modules/index.js';
import type { SourceConfig } from './platform/db/connection.js';
import { sourceUrlVariable, type SourceName } from './platform/db/source-names.js';
import type { TelemetryConfig } from './platform/telemetry/sdk.js';

// The platform declares the settings it takes; they are read here, with the rest.
export type { SourceConfig, TelemetryConfig };

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** Keys of the identity provider (production); without it the development key is used. */
  jwksUrl?: string;
  /** HS256 development key; never set in production. */
  devSecret?: string;
  /**
   * Outside production the built-in development key is public: a gateway taking its tokens
   * listens on loopback only unless this is set (ALLOW_DEV_TOKENS_ON_NETWORK=true).
   */
  allowDevTokensOnNetwork: boolean;
}

export interface LimitsConfig {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Size of the GraphQL document itself, in bytes. */
  maxDocumentBytes: number;
  /** Size of the whole HTTP request body, in bytes. */
  maxBodyBytes: number;
  /** Requests per minute per subject (anonymous callers: per client address); 0 turns it off. */
  rateLimitPerMinute: number;
  /** Objects looked up by global id in one request, all node(id) and nodes(ids) fields together. */
  maxNodeLookups: number;
  /** Open subscriptions (WebSocket) per token subject, over all its connections. */
  subscriptionsPerSubject: number;
}

/** The app tag of a manifest whose documents every caller may run, with or without a token. */
export const EVERY_CALLER = '*';

/** A manifest of trusted documents, and whose tokens may run its documents. */
export interface TrustedDocumentsManifestSetting {
  /** Absolute path of the JSON file. */
  file: string;
  /** The client app (the token's `azp` or `client_id`, exactly), or EVERY_CALLER. */
  app: string;
}

export interface TrustedDocumentsSetting {
  /** The gateway's own manifest (every caller); undefined: src/generated/persisted-documents.json. */
  own?: string;
  /** The client apps' manifests, in the order given. */
  apps: TrustedDocumentsManifestSetting[];
}

/** What a client app may be called in TRUSTED_DOCUMENTS: a token's azp, without the list's separators. */
const APP_TAG = /^[^\s=,]{1,255}$/;

/**
 * TRUSTED_DOCUMENTS: comma-separated manifests, each `<client app>=<file>` (`*=<file>`: every
 * caller), plus at most one bare `<file>` that replaces the gateway's own manifest. Paths are
 * relative to the working directory. Problems are returned in plain words, one each.
 */
export function parseTrustedDocumentsSetting(raw: string): { setting: TrustedDocumentsSetting; problems: string[] } {
  const problems: string[] = [];
  const setting: TrustedDocumentsSetting = { apps: [] };
  const seen = new Set<string>();
  let ownEntry: string | undefined;
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) {
      if (ownEntry !== undefined) problems.push(`TRUSTED_DOCUMENTS names two files without a client app ("${ownEntry}", "${entry}"): only the gateway's own manifest goes without "<app>="`);
      ownEntry = entry;
      setting.own ??= path.resolve(entry);
      continue;
    }
    const app = entry.slice(0, equals).trim();
    const file = entry.slice(equals + 1).trim();
    if (!APP_TAG.test(app)) {
      problems.push(`TRUSTED_DOCUMENTS entry "${entry}" needs a client app before "=" (the token's azp or client_id; no spaces, "=" or ",")`);
      continue;
    }
    if (file === '') {
      problems.push(`TRUSTED_DOCUMENTS entry "${entry}" names no file after "="`);
      continue;
    }
    const resolved = path.resolve(file);
    const key = `${app}\u0000${resolved}`;
    if (seen.has(key)) problems.push(`TRUSTED_DOCUMENTS lists ${app}=${file} twice`);
    seen.add(key);
    setting.apps.push({ app, file: resolved });
  }
  return { setting, problems };
}

/** Development only: a known key so that `npm run token` works out of the box. */
export const DEV_SECRET = 'danang-city-data-gateway-development-key-do-not-use-in-production';

export interface Config {
  production: boolean;
  auth: AuthConfig;
  limits: LimitsConfig;
  port: number;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  sources: Record<SourceName, SourceConfig>;
  /** READ_REPLICA_MAX_LAG_MS: a replica further behind its primary serves no reads until it catches up. */
  readReplicaMaxLagMs: number;
  seedScale: string;
  seedValue: number;
  /**
   * SEED_ON_START: whether `npm start` seeds empty databases with synthetic data. Unset: yes
   * outside production, never in production.
   */
  seedOnStart?: boolean;
  /** Key of the encrypted pagination cursors (the same on every replica). */
  cursorSecret: string;
  /** Key of the hashes of searched values in the access log (AUDIT_HASH_KEY, else the cursor secret). */
  auditHashSecret: string;
  /** Statistics for callers below admin suppress groups counting fewer dossiers than this (k). */
  minimumCellSize: number;
  /** Shares rate-limit counters between replicas when set. */
  redisUrl?: string;
  logLevel: string;
  /** On SIGTERM, how long /readyz says "draining" while requests are still served. */
  shutdownGraceMs: number;
  /**
   * Bearer token of /metrics (METRICS_TOKEN). In production /metrics is served only with it
   * (without it, not at all); in development it is open unless a token is set.
   */
  metricsToken?: string;
  /**
   * TRUSTED_DOCUMENTS: the manifests of trusted documents, each tagged with the client app whose
   * tokens may run its documents (see parseTrustedDocumentsSetting). Undefined when not set here:
   * the trusted-documents plugin then reads the process environment, else the gateway's own.
   */
  trustedDocuments?: TrustedDocumentsSetting;
  /** REPLICAS: how many gateway processes serve the same sources (1 unless told). */
  replicas: number;
  /** GRAPHQL_EXECUTOR: graphql-js, or graphql-jit plans made once per document (src/server/execution). */
  executor: 'graphql-js' | 'jit';
  /**
   * TRUST_PROXY: Express's `trust proxy` (true, a hop count, or addresses/subnets), so that the
   * client address of the rate limit is the caller's, not the load balancer's. Undefined: off.
   */
  trustProxy?: boolean | number | string[];
  /** The access log's transparency: checkpoint key, cadence and witness (issue 15). */
  accessLog: AccessLogConfig;
  /** OpenTelemetry traces: on only when an OTLP endpoint is set. */
  telemetry: TelemetryConfig;
  /** How the subgraph endpoint (/subgraph) is served. */
  subgraph: SubgraphConfig;
}

export interface SubgraphConfig {
  /**
   * SUBGRAPH_ROUTER_TOKEN: the secret the federation router sends in `X-Router-Token`. In
   * production /subgraph is served only with it (without it, not at all); in development it is
   * open unless a token is set.
   */
  routerToken?: string;
}

export interface AccessLogConfig {
  /**
   * ACCESS_LOG_SIGNING_KEY: the Ed25519 key that signs checkpoints, as a signed-note signer key
   * (`PRIVATE+KEY+<origin>+<key id>+<key>`); its name is the log's origin. Required in
   * production; elsewhere a key is generated into `keyFile`.
   */
  signingKey?: string;
  /** Where a generated key is kept outside production: `<DATA_DIR>/access-log-signing-key`; undefined for `memory://` (a key per process). */
  keyFile?: string;
  /** ACCESS_LOG_CHECKPOINT_SECONDS: the longest time between checkpoints while entries arrive. */
  checkpointSeconds: number;
  /** ACCESS_LOG_INTEGRATE_MS: how often the integrator takes pending entries into the tree (each batch signs a checkpoint). */
  integrateMs: number;
  /** ACCESS_LOG_WITNESS_URL: a folder, or a postgres:// URL, that keeps a copy of every checkpoint. */
  witnessUrl?: string;
  /**
   * ACCESS_LOG_TRUSTED_KEYS: verifier keys (`<name>+<key id>+<key>`, separated by spaces or commas)
   * of keys the log signed with before its current one: their checkpoints still verify, and the
   * integrator continues a tree whose latest checkpoint one of them signed (key rotation).
   */
  trustedKeys: string[];
}

/** The shape of a signed-note Ed25519 signer key (the key id is checked when the key is read). */
const SIGNER_KEY = /^PRIVATE\+KEY\+[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/;
/** The shape of a signed-note Ed25519 verifier key. */
const VERIFIER_KEY = /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/;

type Env = Record<string, string | undefined>;

/** Every problem of the configuration, reported together in plain words. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One problem, one line; several, one a line under a heading.
    super(problems.length === 1 ? `Invalid configuration: ${problems[0]}` : `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const SCALES = ['tiny', 'small', 'medium', 'city'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the configuration; per-source settings win over the shared ones. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = (name: string, fallback: string, allowed: readonly string[]): string => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!allowed.includes(raw)) problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw;
  };
  const flag = (name: string): boolean | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return undefined;
  };
  const url = (name: string, protocols: readonly string[]): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) problems.push(`${name} must be a ${protocols.join(' or ')}// URL, got ${parsed.protocol}//`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const nodeEnv = oneOf('NODE_ENV', 'development', ['development', 'production', 'test']);
  const production = nodeEnv === 'production';
  const shared = {
    poolSize: integer('DB_POOL_SIZE', 10, 1, 200),
    statementTimeoutMs: integer('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000),
    connectTimeoutMs: integer('DB_CONNECT_TIMEOUT_MS', 2_000, 100, 60_000),
  };
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const databaseReadUrl = url('DATABASE_READ_URL', ['postgres:', 'postgresql:']);
  const sources = {} as Record<SourceName, SourceConfig>;
  for (const name of SOURCE_NAMES) {
    const own = sourceUrlVariable(name);
    const prefix = name.toUpperCase();
    const ownUrl = url(own, ['postgres:', 'postgresql:']);
    sources[name] = {
      ...(ownUrl ? { url: ownUrl, variable: own } : databaseUrl ? { url: databaseUrl, variable: 'DATABASE_URL' } : {}),
      poolSize: integer(`${prefix}_POOL_SIZE`, shared.poolSize, 1, 200),
      statementTimeoutMs: integer(`${prefix}_STATEMENT_TIMEOUT_MS`, shared.statementTimeoutMs, 100, 600_000),
      connectTimeoutMs: shared.connectTimeoutMs,
    };
    const ownRead = `${prefix}_READ_DATABASE_URL`;
    const readUrl = url(ownRead, ['postgres:', 'postgresql:']);
    const readVariable = readUrl ? ownRead : databaseReadUrl ? 'DATABASE_READ_URL' : undefined;
    if (readVariable) {
      // A replica copies a server; the embedded database has none to copy.
      if (!sources[name].url) problems.push(`${readVariable} gives the ${name} source a read replica, but the source has no PostgreSQL server (set ${own} or DATABASE_URL)`);
      else Object.assign(sources[name], { readUrl: readUrl ?? databaseReadUrl, readVariable });
    }
  }

  const jwksUrl = url('AUTH_JWKS_URL', ['https:', 'http:']);
  if (production && !jwksUrl) problems.push('AUTH_JWKS_URL is required in production (the identity provider’s keys)');
  if (production && env.AUTH_DEV_SECRET) problems.push('AUTH_DEV_SECRET must not be set in production');
  if (env.AUTH_DEV_SECRET !== undefined && env.AUTH_DEV_SECRET.length < 32) problems.push('AUTH_DEV_SECRET must be at least 32 characters');
  if (production && !env.CURSOR_SECRET) problems.push('CURSOR_SECRET is required in production (the key of pagination cursors, the same on every replica)');
  if (env.CURSOR_SECRET !== undefined && env.CURSOR_SECRET.length < 32) problems.push('CURSOR_SECRET must be at least 32 characters');
  if (env.METRICS_TOKEN !== undefined && !/^[A-Za-z0-9._~+/=-]{32,512}$/.test(env.METRICS_TOKEN)) {
    problems.push('METRICS_TOKEN must be 32 to 512 token characters (letters, digits, . _ ~ + / = -)');
  }
  // The same shape as METRICS_TOKEN; a malformed one is a configuration error, never silently open (empty: unset).
  const routerToken = env.SUBGRAPH_ROUTER_TOKEN || undefined;
  if (routerToken !== undefined && !/^[A-Za-z0-9._~+/=-]{32,512}$/.test(routerToken)) {
    problems.push('SUBGRAPH_ROUTER_TOKEN must be 32 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -');
  }
  const allowDevTokensOnNetwork = oneOf('ALLOW_DEV_TOKENS_ON_NETWORK', 'false', ['true', 'false']) === 'true';
  if (env.AUDIT_HASH_KEY !== undefined && env.AUDIT_HASH_KEY.length < 32) problems.push('AUDIT_HASH_KEY must be at least 32 characters');
  let trustedDocuments: TrustedDocumentsSetting | undefined;
  if (env.TRUSTED_DOCUMENTS?.trim()) {
    const parsed = parseTrustedDocumentsSetting(env.TRUSTED_DOCUMENTS);
    problems.push(...parsed.problems);
    trustedDocuments = parsed.setting;
  }

  const signingKey = env.ACCESS_LOG_SIGNING_KEY?.trim() || undefined;
  if (production && !signingKey) {
    problems.push('ACCESS_LOG_SIGNING_KEY is required in production (the Ed25519 key that signs the access log\u2019s checkpoints, PRIVATE+KEY+<origin>+<key id>+<key>: `npm run audit:checkpoint -- --new-key <origin>` makes one)');
  }
  if (signingKey && !SIGNER_KEY.test(signingKey)) problems.push('ACCESS_LOG_SIGNING_KEY must be a signed-note Ed25519 signer key: PRIVATE+KEY+<origin>+<8 hex key id>+<base64 of 0x01 and the 32-byte seed>');
  const checkpointSeconds = integer('ACCESS_LOG_CHECKPOINT_SECONDS', 5, 1, 3_600);
  const integrateMs = integer('ACCESS_LOG_INTEGRATE_MS', 500, 20, 60_000);
  if (integrateMs > checkpointSeconds * 1_000) problems.push(`ACCESS_LOG_INTEGRATE_MS (${integrateMs}) must not exceed ACCESS_LOG_CHECKPOINT_SECONDS (${checkpointSeconds} s): each batch signs the checkpoint`);
  const trustedKeys = (env.ACCESS_LOG_TRUSTED_KEYS ?? '').split(/[\s,]+/).filter(Boolean);
  for (const key of trustedKeys) {
    if (!VERIFIER_KEY.test(key)) problems.push(`ACCESS_LOG_TRUSTED_KEYS holds ${JSON.stringify(key.slice(0, 60))}, not a signed-note Ed25519 verifier key (<origin>+<8 hex key id>+<base64 of 0x01 and the 32-byte public key>)`);
  }
  const witnessRaw = env.ACCESS_LOG_WITNESS_URL?.trim() || undefined;
  let witnessUrl: string | undefined;
  if (witnessRaw) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(witnessRaw)) {
      if (/^postgres(ql)?:\/\//i.test(witnessRaw)) witnessUrl = url('ACCESS_LOG_WITNESS_URL', ['postgres:', 'postgresql:']);
      else problems.push('ACCESS_LOG_WITNESS_URL must be a folder or a postgres:// URL');
    } else witnessUrl = path.resolve(witnessRaw);
  }

  const replicas = integer('REPLICAS', 1, 1, 10_000);
  let trustProxy: boolean | number | string[] | undefined;
  const trustRaw = env.TRUST_PROXY?.trim();
  if (trustRaw) {
    if (/^(true|false)$/i.test(trustRaw)) trustProxy = trustRaw.toLowerCase() === 'true';
    else if (/^\d{1,2}$/.test(trustRaw)) trustProxy = Number(trustRaw);
    else {
      const list = trustRaw.split(',').map((part) => part.trim());
      // Express's named ranges, or IPv4/IPv6 addresses with an optional prefix length.
      if (list.every((part) => /^(loopback|linklocal|uniquelocal)$/.test(part) || /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(part))) trustProxy = list;
      else problems.push(`TRUST_PROXY must be true, false, a hop count, or addresses/subnets (loopback, 10.0.0.0/8, …) separated by commas, got "${trustRaw}"`);
    }
  }
  // The embedded database lives in one process's folder: a second replica, or a load balancer
  // in front (more replicas to come), would split or corrupt it.
  const embedded = SOURCE_NAMES.filter((name) => !sources[name].url);
  const scaledOut = replicas > 1 ? `REPLICAS=${replicas}` : trustProxy !== undefined && trustProxy !== false ? `TRUST_PROXY=${trustRaw}` : undefined;
  if (scaledOut && embedded.length) {
    const which = embedded.length === SOURCE_NAMES.length ? 'every source uses' : `${embedded.join(', ')} use${embedded.length === 1 ? 's' : ''}`;
    problems.push(
      `${scaledOut} says the gateway runs as several replicas or behind a load balancer, but ${which} the embedded database, which is for one process only: use a PostgreSQL server (DATABASE_URL or <SOURCE>_DATABASE_URL)`,
    );
  }

  const config: Config = {
    production,
    auth: {
      issuer: env.AUTH_ISSUER || 'urn:danang:city-data-gateway:dev',
      audience: env.AUTH_AUDIENCE || 'city-data-gateway',
      jwksUrl,
      devSecret: production ? undefined : (env.AUTH_DEV_SECRET ?? DEV_SECRET),
      allowDevTokensOnNetwork,
    },
    limits: {
      maxDepth: integer('MAX_QUERY_DEPTH', 12, 2, 100),
      maxCost: integer('MAX_QUERY_COST', 100_000, 10, 10_000_000),
      maxAliases: integer('MAX_ALIASES', 30, 1, 10_000),
      maxTokens: integer('MAX_TOKENS', 3_000, 10, 1_000_000),
      maxDirectives: integer('MAX_DIRECTIVES', 20, 1, 1_000),
      maxDocumentBytes: integer('MAX_DOCUMENT_BYTES', 32_768, 256, 10_000_000),
      maxBodyBytes: integer('MAX_BODY_BYTES', 262_144, 1_024, 50_000_000),
      rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 6_000, 0, 10_000_000),
      maxNodeLookups: integer('MAX_NODE_LOOKUPS', 200, 1, 10_000),
      subscriptionsPerSubject: integer('SUBSCRIPTIONS_PER_SUBJECT', 10, 1, 10_000),
    },
    port: integer('PORT', 4000, 0, 65_535),
    dataDir: env.DATA_DIR || path.resolve('data', 'pglite'),
    sources,
    readReplicaMaxLagMs: integer('READ_REPLICA_MAX_LAG_MS', 5_000, 0, 3_600_000),
    seedScale: oneOf('SEED_SCALE', 'small', SCALES),
    seedValue: integer('SEED', 20241031, 0, 2 ** 31 - 1),
    seedOnStart: flag('SEED_ON_START'),
    cursorSecret: env.CURSOR_SECRET || 'city-data-gateway development cursor key',
    auditHashSecret: env.AUDIT_HASH_KEY || env.CURSOR_SECRET || 'city-data-gateway development cursor key',
    minimumCellSize: integer('STATS_MIN_CELL_SIZE', 5, 1, 1_000),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    logLevel: oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 2_000, 0, 120_000),
    metricsToken: env.METRICS_TOKEN || undefined,
    trustedDocuments,
    replicas,
    executor: oneOf('GRAPHQL_EXECUTOR', 'jit', ['graphql-js', 'jit']) as Config['executor'],
    trustProxy,
    accessLog: {
      signingKey,
      keyFile: signingKey || (env.DATA_DIR || '') === 'memory://' ? undefined : path.join(env.DATA_DIR || path.resolve('data', 'pglite'), 'access-log-signing-key'),
      checkpointSeconds,
      integrateMs,
      witnessUrl,
      trustedKeys,
    },
    telemetry: {
      endpoint: url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
      serviceName: env.OTEL_SERVICE_NAME?.trim() || 'city-data-gateway',
    },
    subgraph: routerToken ? { routerToken } : {},
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
