import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage, type BuildSchemaOptions, type PubSub } from 'type-graphql';
import { authChecker } from '../access/graphql/auth-checker.js';
import { guardPersonalProperties, unguardedPersonalProperties } from '../access/graphql/guard-fields.js';
import type { GraphContext } from './context.js';
import { MODULES } from './index.js';
import { callFieldResolversDirectly, resolverContainer } from './direct-field-resolvers.js';
import { createNodeResolver, type NodeFetcher } from '../platform/relay/node.resolver.js';

export interface SchemaOptions {
  /**
   * Off only to measure what the field guard costs (benchmark baseline): personal fields are
   * then served without the policy. Never off in a running gateway.
   */
  guardPersonalData?: boolean;
}

const NO_PUB_SUB: PubSub = {
  publish() {
    throw new Error('The gateway publishes nothing: subscriptions are fed by the sources');
  },
  subscribe() {
    throw new Error('Every subscription has its own event stream');
  },
};

/** Every module's Node types, for `node(id)`. */
export const NODE_TYPES: ReadonlyMap<string, NodeFetcher<GraphContext>> = new Map(MODULES.flatMap((m) => Object.entries(m.nodes)));

/** The one schema of the gateway, built from the code (code-first). */
export async function buildGatewaySchema(options: SchemaOptions = {}): Promise<GraphQLSchema> {
  resolvePlainFieldsByDefault();
  const build = {
    resolvers: [createNodeResolver(NODE_TYPES), ...MODULES.flatMap((m) => m.resolvers)] as const,
    container: resolverContainer(),
    // Personal fields carry @Authorized(kind) through @Personal; the checker asks the policy.
    authChecker: options.guardPersonalData === false ? () => true : authChecker,
    // Input validation is done by GraphQL types and by resolvers; class-validator is not used.
    validate: false,
    // type-graphql asks for a pub/sub once there are subscriptions; ours bring their own event
    // streams (`subscribe`, fed by the sources' NOTIFY: src/platform/db/notifications.ts).
    pubSub: NO_PUB_SUB,
  } satisfies BuildSchemaOptions;
  const schema = await buildSchema(build);
  // Personal properties: the guard and the mask called directly, not through type-graphql's chain.
  if (options.guardPersonalData === false) unguardedPersonalProperties(schema);
  else guardPersonalProperties(schema);
  // Unguarded field resolvers called without type-graphql's per-call handler.
  callFieldResolversDirectly(schema, build);
  // type-graphql makes the root type itself and takes no description for it.
  const query = schema.getQueryType();
  if (query) query.description = QUERY_DESCRIPTION;
  const subscription = schema.getSubscriptionType();
  if (subscription) subscription.description = SUBSCRIPTION_DESCRIPTION;
  return schema;
}

const SUBSCRIPTION_DESCRIPTION =
  'Live data for the operations centre, over WebSocket (graphql-ws) at `/graphql` with the same token, purpose and scopes as queries; over plain HTTP only queries run.';

/** What each source holds, as its manifest says, in MODULES order: the city's databases, then the gateway's own. */
function sourcesInProse(): string {
  const city = MODULES.filter((m) => !m.ownedByGateway).map((m) => m.describedAs);
  const own = MODULES.filter((m) => m.ownedByGateway).map((m) => `, and ${m.describedAs}`);
  const last = city.pop();
  return `${city.join(', ')}${city.length && last ? ' and ' : ''}${last ?? ''}${own.join('')}`;
}

const QUERY_DESCRIPTION = `Read access to Đà Nẵng's shared city databases: ${sourcesInProse()}. Lists are Relay cursor connections; every object with an id can be fetched again with \`node(id)\`.`;

/**
 * type-graphql wraps every property field in a resolver of its own (reading the property through
 * its middleware chain, empty for most fields): on a page of 50 dossiers that is hundreds of
 * calls for nothing. Fields with no guard and no middleware are marked `simple`, so graphql-js's
 * default resolver reads them; personal fields (@Personal: @Authorized and the mask middleware)
 * and field resolvers keep theirs. A field renamed in the schema keeps its wrapper (the default
 * resolver reads the schema name).
 */
function resolvePlainFieldsByDefault(): void {
  const storage = getMetadataStorage();
  const guarded = new Map<unknown, Set<string>>();
  for (const { target, fieldName } of [...storage.authorizedFields, ...storage.middlewares]) {
    let fields = guarded.get(target);
    if (!fields) guarded.set(target, (fields = new Set()));
    fields.add(fieldName);
  }
  const wholeClass = new Set<unknown>([...storage.authorizedResolver, ...storage.resolverMiddlewares].map((m) => m.target));
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.name !== field.schemaName) continue;
    if (wholeClass.has(field.target) || guarded.get(field.target)?.has(field.name)) continue;
    field.simple = true;
  }
}

/** The SDL committed as schema.graphql: sorted, so that diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
