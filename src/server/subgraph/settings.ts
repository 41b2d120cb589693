import type { SubgraphConfig } from '../../config.js';

/** How the subgraph endpoint (/subgraph) is served: read and checked by loadConfig (SUBGRAPH_ROUTER_TOKEN). */
export type SubgraphSettings = SubgraphConfig;
