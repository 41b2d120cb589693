import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { referenceResolvers } from './reference/index.js';
import { NodeResolver } from './relay/node.resolver.js';

/** The one schema of the gateway, built from the code (code-first). */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [NodeResolver, ...referenceResolvers],
    // Input validation is done by GraphQL types and by resolvers; class-validator is not used.
    validate: false,
  });
}

/** The SDL committed as schema.graphql: sorted, so that diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
