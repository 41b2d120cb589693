import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  printSchema,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { createResolversMap } from 'type-graphql';
import { gatewayError } from '../../platform/errors.js';
import { fromGlobalId } from '../../platform/relay/global-id.js';

/** The Federation 2 version this subgraph links (supported by @apollo/subgraph and composition 2.14). */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.9';

/** A router's reference to one of our entities, as in `_entities(representations: [...])`. */
interface Representation {
  __typename: string;
  id?: unknown;
}

const KEY_ID: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: 'id' } }],
};

/**
 * The gateway's SDL as a Federation 2 subgraph's: `@link` to the federation spec, and
 * `@key(fields: "id")` on every node type (the global id is the key: a router hands back what
 * `id` answered), without the Subscription root. Nothing else changes.
 */
export function subgraphTypeDefs(schema: GraphQLSchema, nodeTypes: Iterable<string>): DocumentNode {
  const keyed = new Set(nodeTypes);
  const document = parse(printSchema(schema));
  const subscription = schema.getSubscriptionType()?.name;
  // Subscriptions are served on /graphql over WebSocket; /subgraph is plain HTTP and would refuse
  // them, so the subgraph does not offer them to a router.
  const served = document.definitions.filter((definition) => !(definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === subscription));
  const definitions = served.map((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !keyed.has(definition.name.value)) return definition;
    keyed.delete(definition.name.value);
    if (!definition.interfaces?.some((i) => i.name.value === 'Node')) throw new Error(`Node type ${definition.name.value} does not implement Node`);
    return { ...definition, directives: [...(definition.directives ?? []), KEY_ID] };
  });
  if (keyed.size > 0) throw new Error(`Node types missing from the schema: ${[...keyed].join(', ')}`);
  const link = parse(`extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key"])`);
  return { kind: Kind.DOCUMENT, definitions: [...link.definitions, ...definitions] };
}

/**
 * The gateway's schema served as a Federation 2 subgraph, as type-graphql's federation example
 * builds one (print, then `buildSubgraphSchema` with `createResolversMap`). Two additions:
 *
 * - each node type's `__resolveReference` is the resolver of `node(id)` itself, so that an entity
 *   a router asks for goes through the same loaders and row scopes as `node(id)`; a reference
 *   whose id is not of its `__typename` answers null, like an unknown id;
 * - the extensions of types, fields and input fields are carried over: the field guard, the query
 *   guard and the access log read the personal-data declarations from them (an SDL has none).
 */
export function buildGatewaySubgraphSchema(schema: GraphQLSchema, nodeTypes: Iterable<string>, options: { maxRepresentations: number }): GraphQLSchema {
  const names = [...nodeTypes];
  const node = schema.getQueryType()?.getFields().node?.resolve as GraphQLFieldResolver<unknown, unknown, { id: string }> | undefined;
  if (!node) throw new Error('The schema has no node(id) resolver');
  const resolveReference = (typeName: string) => (reference: Representation, context: unknown, info: GraphQLResolveInfo) => {
    const id = typeof reference.id === 'string' ? reference.id : undefined;
    if (id === undefined || fromGlobalId(id)?.type !== typeName) return null;
    return node(undefined, { id }, context, info);
  };
  const resolvers: Record<string, Record<string, unknown>> = { ...(createResolversMap(schema) as Record<string, Record<string, unknown>>) };
  for (const name of names) resolvers[name] = { ...resolvers[name], __resolveReference: resolveReference(name) };
  const subgraph = buildSubgraphSchema({ typeDefs: subgraphTypeDefs(schema, names), resolvers: resolvers as never });
  carryExtensions(schema, subgraph, schema.getSubscriptionType()?.name);
  limitRepresentations(subgraph, options.maxRepresentations);
  return subgraph;
}

/** Entities looked up by one request count as node(id) look-ups do (MAX_NODE_LOOKUPS). */
function limitRepresentations(subgraph: GraphQLSchema, max: number): void {
  const entities = subgraph.getQueryType()?.getFields()._entities;
  const resolve = entities?.resolve;
  if (!entities || !resolve) throw new Error('The subgraph schema has no _entities resolver');
  entities.resolve = (source, args: { representations?: unknown[] }, context, info) => {
    const count = args.representations?.length ?? 0;
    if (count > max) throw gatewayError('QUERY_TOO_COMPLEX', `Node lookups limit of ${max} exceeded, found ${count} (MAX_NODE_LOOKUPS)`);
    return resolve(source, args, context, info);
  };
}

type Extensible = { extensions: Readonly<Record<string, unknown>> };

function merge(target: Extensible, source: Extensible): void {
  // The subgraph's own extensions (apollo.subgraph.resolveReference) stay.
  if (Object.keys(source.extensions).length > 0) target.extensions = { ...source.extensions, ...target.extensions };
}

function carryExtensions(from: GraphQLSchema, to: GraphQLSchema, left: string | undefined): void {
  for (const [name, source] of Object.entries(from.getTypeMap())) {
    if (name.startsWith('__') || name === left) continue;
    const target: GraphQLNamedType | undefined = to.getType(name);
    if (!target) throw new Error(`Type ${name} is missing from the subgraph schema`);
    merge(target as Extensible, source as Extensible);
    if ((isObjectType(source) && isObjectType(target)) || (isInterfaceType(source) && isInterfaceType(target)) || (isInputObjectType(source) && isInputObjectType(target))) {
      const targetFields = target.getFields();
      for (const [fieldName, field] of Object.entries(source.getFields())) {
        const copy = targetFields[fieldName];
        if (!copy) throw new Error(`Field ${name}.${fieldName} is missing from the subgraph schema`);
        merge(copy as Extensible, field as Extensible);
        if ('args' in field && 'args' in copy) {
          for (const arg of field.args) {
            const argCopy = copy.args.find((a) => a.name === arg.name);
            if (argCopy) merge(argCopy as Extensible, arg as Extensible);
          }
        }
      }
    } else if (isEnumType(source) && isEnumType(target)) {
      for (const value of source.getValues()) {
        const copy = target.getValue(value.name);
        if (copy) merge(copy as Extensible, value as Extensible);
      }
    }
  }
}
