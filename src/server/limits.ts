import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { NextFunction, Request, Response } from 'express';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { LimitsConfig } from '../config.js';
import type { GraphContext } from '../modules/context.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../platform/db/keyset.js';
import { refuse } from './http-errors.js';

/**
 * Query limits: depth, aliases and directives (graphql-armor, at validation); the cost, list
 * lengths and node look-ups with the variables known (requestCostPlugin); field suggestions
 * hidden in production so that the schema cannot be guessed field by field.
 */
export function queryLimits(limits: LimitsConfig, production: boolean): { plugins: ApolloServerPlugin<GraphContext>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    // Armor's cost reads only inline `first:` and no list lengths; ours sees the variables too.
    costLimit: { enabled: false },
    maxAliases: { n: limits.maxAliases },
    // The token limit is graphql-js's own (Apollo's parseOptions): armor's checks it inside
    // Apollo's parsing hook, where any error, a plain syntax error too, becomes an HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  // graphql-armor's typings are CommonJS and name Apollo's base context.
  return { plugins: [...(plugins as unknown as ApolloServerPlugin<GraphContext>[]), requestCostPlugin(limits)], validationRules };
}

/** Longest list a client may pass in any argument (nodes' ids, enum lists in filters). */
export const MAX_LIST_ITEMS = 100;
const OBJECT_COST = 2;
/** The Federation subgraph's entity look-up (Query._entities), priced as `nodes(ids:)`. */
const ENTITIES_FIELD = '_entities';
const SCALAR_COST = 1;

/** What a document costs with its variables: cost units and objects looked up by global id. */
export interface RequestCost {
  cost: number;
  nodeLookups: number;
}

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
}

/** The items of every list inside a value (nested input objects included), refusing over-long lists. */
function listItems(value: unknown, argument: string): number {
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS) throw tooComplex(`List limit of ${MAX_LIST_ITEMS} items exceeded: ${argument} has ${value.length} (MAX_LIST_ITEMS)`);
    return value.reduce((sum: number, item) => sum + listItems(item, argument), value.length);
  }
  if (value && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + listItems(item, argument), 0);
  return 0;
}

/**
 * The cost of an operation once its variables are known: a field costs 1 (an object 2, plus its
 * selections), times the rows it returns (`first`/`last`, the default page size when absent, or
 * the length of its list argument: `nodes(ids:)` returns one object per id); every list item in
 * arguments costs 1 more. `node`/`nodes` count towards the request's node look-ups, and so does
 * the subgraph's `_entities(representations:)` (one look-up and one selection per
 * representation: it resolves each through node(id)'s resolver). Directives (@skip) are ignored:
 * the bound is an upper one. Fragments are priced once each.
 */
export function requestCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): RequestCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const defaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const valueOf = (node: ValueNode): unknown =>
    node.kind === Kind.VARIABLE
      ? (Object.hasOwn(variables, node.name.value) ? variables[node.name.value] : defaults.get(node.name.value))
      : valueFromASTUntyped(node, variables);

  // Memoized: a fragment spread many times (or fragments spreading each other) is walked once.
  const fragmentCosts = new Map<string, RequestCost>();

  const fieldCost = (parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, args: ReadonlyMap<string, unknown>, set: SelectionSetNode | undefined, name: string): RequestCost => {
    let listCost = 0;
    let longest = 0;
    for (const [argName, value] of args) {
      const items = listItems(value, `${name}(${argName}:)`);
      listCost += items;
      if (Array.isArray(value)) longest = Math.max(longest, value.length);
    }
    const returnsList = isListType(getNullableType(field.type));
    let rows = 1;
    const paged = field.args.find((a) => a.name === 'first' || a.name === 'last');
    if (paged) {
      const first = args.get('first') ?? args.get('last');
      const fallback = field.args.find((a) => a.name === 'first')?.defaultValue;
      const size = typeof first === 'number' ? first : typeof fallback === 'number' ? fallback : DEFAULT_PAGE_SIZE;
      // A page size out of range is refused by the field itself (BAD_USER_INPUT): priced at the most it could be.
      rows = Number.isInteger(size) ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    } else if (returnsList && longest > 0) {
      rows = longest;
    }
    rows = Math.max(rows, 1);
    const named = getNamedType(field.type);
    const inner = set && isCompositeType(named) ? selectionCost(named, set) : { cost: 0, nodeLookups: 0 };
    const own = set ? OBJECT_COST : SCALAR_COST;
    // node / nodes: fields that return the Node interface, one object looked up per row; on
    // /subgraph, _entities: one per representation (its rows, the length of `representations`).
    const looksUp = (isInterfaceType(named) && named.name === 'Node') || (field.name === ENTITIES_FIELD && parent === schema.getQueryType());
    const lookups = looksUp && isObjectType(parent) ? rows : 0;
    return { cost: rows * (own + inner.cost) + listCost, nodeLookups: lookups + rows * inner.nodeLookups };
  };

  const selectionCost = (parent: GraphQLCompositeType, set: SelectionSetNode): RequestCost => {
    const total: RequestCost = { cost: 0, nodeLookups: 0 };
    const add = (part: RequestCost) => {
      total.cost += part.cost;
      total.nodeLookups += part.nodeLookups;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // Introspection is priced nothing (and is off in production).
        if (name === '__schema' || name === '__type') continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) {
          add({ cost: SCALAR_COST, nodeLookups: 0 });
          continue;
        }
        const args = new Map<string, unknown>();
        for (const argument of selection.arguments ?? []) args.set(argument.name.value, valueOf(argument.value));
        add(fieldCost(parent, field, args, selection.selectionSet, name));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (typed && isCompositeType(typed)) add(selectionCost(typed, selection.selectionSet));
      } else {
        const name = selection.name.value;
        let cost = fragmentCosts.get(name);
        if (!cost) {
          const fragment = fragments.get(name);
          const typed = fragment && schema.getType(fragment.typeCondition.name.value);
          // A cycle is refused by validation before this runs; the placeholder keeps a walk finite anyway.
          fragmentCosts.set(name, { cost: 0, nodeLookups: 0 });
          cost = fragment && typed && isCompositeType(typed) ? selectionCost(typed, fragment.selectionSet) : { cost: 0, nodeLookups: 0 };
          fragmentCosts.set(name, cost);
        }
        add(cost);
      }
    }
    return total;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return root ? selectionCost(root, operation.selectionSet) : { cost: 0, nodeLookups: 0 };
}

/**
 * A NUL byte or a lone UTF-16 surrogate in a string the client sent: PostgreSQL cannot store
 * or compare such text, and it is never a real name, code or search.
 */
// eslint-disable-next-line no-control-regex -- NUL is what is refused
const INVALID_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasInvalidText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return INVALID_TEXT.test(value);
  if (depth > 64 || !value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => INVALID_TEXT.test(key) || hasInvalidText(item, depth + 1));
}

/** Per parsed document: Apollo's document store hands the same DocumentNode to every request of one text. */
const invalidTextOf = new WeakMap<DocumentNode, boolean>();

function documentHasInvalidText(document: DocumentNode): boolean {
  const known = invalidTextOf.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    StringValue(node) {
      if (INVALID_TEXT.test(node.value)) found = true;
    },
  });
  invalidTextOf.set(document, found);
  return found;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/**
 * Checks each operation before it runs, with its variables: queries only (this gateway reads),
 * strings PostgreSQL can take, and the cost and node look-ups within the limits. Variables are
 * known only now, so this cannot be a validation rule (which Apollo caches per document).
 */
export function requestCostPlugin(limits: Pick<LimitsConfig, 'maxCost' | 'maxNodeLookups'>): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          if (operation.operation !== 'query') {
            throw badInput(`This gateway serves queries only; ${operation.operation} operations are not accepted`);
          }
          if (hasInvalidText(request.variables) || documentHasInvalidText(document)) {
            throw badInput('A string contains a NUL character or an invalid UTF-16 sequence');
          }
          const { cost, nodeLookups } = requestCost(schema, document, operation, request.variables ?? {});
          if (nodeLookups > limits.maxNodeLookups) {
            throw tooComplex(`Node lookups limit of ${limits.maxNodeLookups} exceeded, found ${nodeLookups} (MAX_NODE_LOOKUPS)`);
          }
          if (cost > limits.maxCost) throw tooComplex(`Query Cost limit of ${limits.maxCost} exceeded, found ${Math.round(cost)} (MAX_QUERY_COST)`);
        },
      };
    },
  };
}

/** Armor reports a limit as "Syntax Error: <limit> exceeded": the message that says which limit. */
const ARMOR_MESSAGE = /^Syntax Error: ((?:Query depth|Query Cost|Aliases|Directives|Token) limit.*)$/i;

/** graphql-js's parser, stopped by `maxTokens`. */
const TOKEN_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/; // graphql 16 writes "more that"

export function limitExceeded(message: string): string | undefined {
  const tokens = TOKEN_MESSAGE.exec(message);
  if (tokens) return `Token limit of ${tokens[1]} exceeded (MAX_TOKENS)`;
  return ARMOR_MESSAGE.exec(message)?.[1];
}

/** Refuses a GraphQL document larger than the limit before it is parsed. */
export function documentSizeLimit(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = req.body as { query?: unknown } | undefined;
    const query = typeof body?.query === 'string' ? body.query : typeof req.query.query === 'string' ? req.query.query : undefined;
    if (query !== undefined && Buffer.byteLength(query) > maxBytes) {
      return refuse(res, 400, 'QUERY_TOO_COMPLEX', `The document is ${Buffer.byteLength(query)} bytes; the limit is ${maxBytes} bytes (MAX_DOCUMENT_BYTES)`);
    }
    next();
  };
}
