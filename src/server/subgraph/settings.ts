import { ConfigError } from '../../config.js';

/** How the subgraph endpoint (/subgraph) is served. */
export interface SubgraphSettings {
  /**
   * SUBGRAPH_ROUTER_TOKEN: the secret the federation router sends in `X-Router-Token`. In
   * production /subgraph is served only with it (without it, not at all); in development it is
   * open unless a token is set.
   */
  routerToken?: string;
}

/** The same shape as METRICS_TOKEN: a secret long enough not to be guessed, safe in a header. */
const TOKEN = /^[A-Za-z0-9._~+/=-]{32,512}$/;

/** Reads SUBGRAPH_ROUTER_TOKEN; a malformed one is a configuration error, never silently open. */
export function readSubgraphSettings(env: Record<string, string | undefined> = process.env): SubgraphSettings {
  const raw = env.SUBGRAPH_ROUTER_TOKEN;
  if (raw === undefined || raw === '') return {};
  if (!TOKEN.test(raw)) throw new ConfigError(['SUBGRAPH_ROUTER_TOKEN must be 32 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -']);
  return { routerToken: raw };
}
