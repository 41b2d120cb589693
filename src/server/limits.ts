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
 *
 * The walk over the schema is planned once per (schema, document, operation) (costPlanOf): what
 * the variables cannot change is priced then, and a request only evaluates the rest.
 */
export function requestCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): RequestCost {
  return costPlanOf(schema, document, operation)(variables);
}

type CostPlan = (variables: Record<string, unknown>) => RequestCost;

/** Per schema, per parsed document (Apollo's document store hands the same one to every request of a text), per operation. */
const costPlans = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<OperationDefinitionNode, CostPlan>>>();

function costPlanOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CostPlan {
  let byDocument = costPlans.get(schema);
  if (!byDocument) costPlans.set(schema, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map()));
  let plan = byOperation.get(operation);
  if (!plan) byOperation.set(operation, (plan = planCost(schema, document, operation)));
  return plan;
}

/** What a request evaluates: its variables, and the fragments already priced with them. */
interface CostRun {
  variables: Record<string, unknown>;
  fragments: Map<string, RequestCost>;
}

/** A part of the walk: priced at planning when the variables cannot change it, else per request. */
type CostPart = { value: RequestCost; run?: undefined } | { value?: undefined; run: (run: CostRun) => RequestCost };

const NOTHING: RequestCost = Object.freeze({ cost: 0, nodeLookups: 0 });
const constant = (value: RequestCost): CostPart => ({ value });
const evaluate = (part: CostPart, run: CostRun): RequestCost => part.value ?? part.run(run);

function hasVariable(node: ValueNode): boolean {
  if (node.kind === Kind.VARIABLE) return true;
  if (node.kind === Kind.LIST) return node.values.some(hasVariable);
  if (node.kind === Kind.OBJECT) return node.fields.some((field) => hasVariable(field.value));
  return false;
}

/**
 * The walk of the former per-request pricing, split in two: the schema's side (fields, types,
 * page arguments, fragments) once, the variables' side per request. Sums are made in the same
 * order as before, so every total is the same number.
 */
function planCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CostPlan {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const defaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const valueOf = (node: ValueNode, variables: Record<string, unknown>): unknown =>
    node.kind === Kind.VARIABLE
      ? (Object.hasOwn(variables, node.name.value) ? variables[node.name.value] : defaults.get(node.name.value))
      : valueFromASTUntyped(node, variables);

  // Planned once each: a fragment spread many times (or fragments spreading each other) is walked once.
  const fragmentParts = new Map<string, CostPart>();

  const fieldPart = (parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, argumentNodes: readonly { name: { value: string }; value: ValueNode }[], set: SelectionSetNode | undefined, name: string): CostPart => {
    const returnsList = isListType(getNullableType(field.type));
    const paged = field.args.find((a) => a.name === 'first' || a.name === 'last');
    const fallback = paged ? field.args.find((a) => a.name === 'first')?.defaultValue : undefined;
    const named = getNamedType(field.type);
    const inner = set && isCompositeType(named) ? selectionPart(named, set) : constant(NOTHING);
    const own = set ? OBJECT_COST : SCALAR_COST;
    // node / nodes: fields that return the Node interface, one object looked up per row; on
    // /subgraph, _entities: one per representation (its rows, the length of `representations`).
    const looksUp = ((isInterfaceType(named) && named.name === 'Node') || (field.name === ENTITIES_FIELD && parent === schema.getQueryType())) && isObjectType(parent);

    const cost = (args: ReadonlyMap<string, unknown>, listCost: number, longest: number, innerCost: RequestCost): RequestCost => {
      let rows = 1;
      if (paged) {
        const first = args.get('first') ?? args.get('last');
        const size = typeof first === 'number' ? first : typeof fallback === 'number' ? fallback : DEFAULT_PAGE_SIZE;
        // A page size out of range is refused by the field itself (BAD_USER_INPUT): priced at the most it could be.
        rows = Number.isInteger(size) ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
      } else if (returnsList && longest > 0) {
        rows = longest;
      }
      rows = Math.max(rows, 1);
      const lookups = looksUp ? rows : 0;
      return { cost: rows * (own + innerCost.cost) + listCost, nodeLookups: lookups + rows * innerCost.nodeLookups };
    };

    // Arguments without variables are read now; one whose lists are over the limit stays for each
    // request, where it is refused in the walk's order as before.
    const fixed = argumentNodes.map((argument) => {
      if (hasVariable(argument.value)) return undefined;
      const value = valueFromASTUntyped(argument.value);
      try {
        return { value, items: listItems(value, `${name}(${argument.name.value}:)`) };
      } catch {
        return undefined;
      }
    });
    const readArguments = (variables: Record<string, unknown>): { args: Map<string, unknown>; listCost: number; longest: number } => {
      const args = new Map<string, unknown>();
      for (const argument of argumentNodes) args.set(argument.name.value, valueOf(argument.value, variables));
      let listCost = 0;
      let longest = 0;
      let i = 0;
      for (const [argName, value] of args) {
        // A name given twice is refused by validation; the map keeps the last, as before.
        const known = fixed.length === args.size ? fixed[i] : undefined;
        i += 1;
        const items = known ? known.items : listItems(value, `${name}(${argName}:)`);
        listCost += items;
        if (Array.isArray(value)) longest = Math.max(longest, value.length);
      }
      return { args, listCost, longest };
    };

    if (fixed.every((argument) => argument !== undefined)) {
      const { args, listCost, longest } = readArguments({});
      if (inner.value) return constant(cost(args, listCost, longest, inner.value));
      return { run: (run) => cost(args, listCost, longest, inner.run(run)) };
    }
    return {
      run: (run) => {
        const { args, listCost, longest } = readArguments(run.variables);
        return cost(args, listCost, longest, evaluate(inner, run));
      },
    };
  };

  const selectionPart = (parent: GraphQLCompositeType, set: SelectionSetNode): CostPart => {
    const parts: CostPart[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // Introspection is priced nothing (and is off in production).
        if (name === '__schema' || name === '__type') continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) {
          parts.push(constant({ cost: SCALAR_COST, nodeLookups: 0 }));
          continue;
        }
        parts.push(fieldPart(parent, field, selection.arguments ?? [], selection.selectionSet, name));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (typed && isCompositeType(typed)) parts.push(selectionPart(typed, selection.selectionSet));
      } else {
        parts.push(fragmentPart(selection.name.value));
      }
    }
    const sum = (costs: (part: CostPart) => RequestCost): RequestCost => {
      const total = { cost: 0, nodeLookups: 0 };
      for (const part of parts) {
        const { cost, nodeLookups } = costs(part);
        total.cost += cost;
        total.nodeLookups += nodeLookups;
      }
      return total;
    };
    if (parts.every((part) => part.value)) return constant(sum((part) => part.value!));
    return { run: (run) => sum((part) => evaluate(part, run)) };
  };

  const fragmentPart = (name: string): CostPart => {
    const known = fragmentParts.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    const typed = fragment && schema.getType(fragment.typeCondition.name.value);
    // A cycle is refused by validation before this runs; the placeholder keeps a walk finite anyway.
    fragmentParts.set(name, constant(NOTHING));
    const body = fragment && typed && isCompositeType(typed) ? selectionPart(typed, fragment.selectionSet) : constant(NOTHING);
    // With variables: priced once per request, however often it is spread.
    const part: CostPart = body.value
      ? body
      : {
          run: (run) => {
            let cost = run.fragments.get(name);
            if (!cost) {
              cost = body.run(run);
              run.fragments.set(name, cost);
            }
            return cost;
          },
        };
    fragmentParts.set(name, part);
    return part;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const top = root ? selectionPart(root, operation.selectionSet) : constant(NOTHING);
  // A fresh object per request: callers may keep or change what they are given.
  if (top.value) {
    const { cost, nodeLookups } = top.value;
    return () => ({ cost, nodeLookups });
  }
  return (variables) => {
    const { cost, nodeLookups } = top.run({ variables, fragments: new Map() });
    return { cost, nodeLookups };
  };
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
