import { ApolloServer, type ApolloServerOptionsWithSchema, type ApolloServerPlugin } from '@apollo/server';
import { NODE_TYPES } from '../../modules/schema.js';
import type { GraphContext } from '../../modules/context.js';
import { buildGatewaySubgraphSchema } from './schema.js';

export { routerTokenGate } from './router-token.js';
export type { SubgraphSettings } from './settings.js';

/**
 * The Apollo server of /subgraph: the options of /graphql's (limits, access log, error masking,
 * observability) over the same schema served as a Federation 2 subgraph, without the plugins
 * named in `without` (the trusted-documents plugin: a router's generated query plans are in no
 * manifest; the router token stands in for it, see router-token.ts).
 */
export function createSubgraphServer(
  options: ApolloServerOptionsWithSchema<GraphContext>,
  settings: { without: readonly ApolloServerPlugin<GraphContext>[]; maxRepresentations: number },
): ApolloServer<GraphContext> {
  return new ApolloServer<GraphContext>({
    ...options,
    schema: buildGatewaySubgraphSchema(options.schema, NODE_TYPES.keys(), { maxRepresentations: settings.maxRepresentations }),
    plugins: (options.plugins ?? []).filter((plugin) => !settings.without.includes(plugin)),
  });
}
