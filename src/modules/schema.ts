import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../access/graphql/auth-checker.js';
import type { GraphContext } from './context.js';
import { MODULES } from './index.js';
import { createNodeResolver, type NodeFetcher } from '../platform/relay/node.resolver.js';

export interface SchemaOptions {
  /**
   * Off only to measure what the field guard costs (benchmark baseline): personal fields are
   * then served without the policy. Never off in a running gateway.
   */
  guardPersonalData?: boolean;
}

/** Every module's Node types, for `node(id)`. */
export const NODE_TYPES: ReadonlyMap<string, NodeFetcher<GraphContext>> = new Map(MODULES.flatMap((m) => Object.entries(m.nodes)));

/** The one schema of the gateway, built from the code (code-first). */
export async function buildGatewaySchema(options: SchemaOptions = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [createNodeResolver(NODE_TYPES), ...MODULES.flatMap((m) => m.resolvers)],
    // Personal fields carry @Authorized(kind) through @Personal; the checker asks the policy.
    authChecker: options.guardPersonalData === false ? () => true : authChecker,
    // Input validation is done by GraphQL types and by resolvers; class-validator is not used.
    validate: false,
  });
  // type-graphql makes the root type itself and takes no description for it.
  const query = schema.getQueryType();
  if (query) query.description = QUERY_DESCRIPTION;
  return schema;
}

const QUERY_DESCRIPTION =
  "Read access to Đà Nẵng's shared city databases: administrative units and agencies, the population register (citizens, công dân; households, hộ khẩu), the business register, administrative procedures and dossiers (thủ tục hành chính, hồ sơ), the repository of procedure results (kết quả thủ tục hành chính), the open-data catalogue and the IOC's indicators, and the access log. Lists are Relay cursor connections; every object with an id can be fetched again with `node(id)`.";

/** The SDL committed as schema.graphql: sorted, so that diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
