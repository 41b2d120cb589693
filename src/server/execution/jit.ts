import { createHash } from 'node:crypto';
import type { ApolloServerOptionsWithGateway, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { execute, GraphQLError, isAbstractType, Kind, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** GRAPHQL_EXECUTOR: graphql-js (Apollo's own `execute`) or graphql-jit plans made once per document. */
export const EXECUTORS = ['graphql-js', 'jit'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

export interface JitOptions {
  /** Documents planned at start and kept (the trusted documents' texts). */
  documents?: () => Iterable<string>;
  /** Plans kept for other documents (development, the subgraph's router): the least recently used go first. */
  maxPlans?: number;
}

type Plan = CompiledQuery | ExecutionResult;
// Apollo's gateway interface, by the types @apollo/server exports (its package is not a dependency of ours).
type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewayGraphQLRequestContext = Parameters<GatewayExecutor>[0];

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** Apollo's queryHash is the sha256 of the text; a document with several operations has a plan per operation. */
const keyOf = (queryHash: string, operationName: string | null | undefined): string => `${queryHash}:${operationName ?? ''}`;

/**
 * jit's errors leave `extensions` undefined where graphql-js gives `{}` (a thrown Error, a null
 * in a non-null field), and Apollo's error normalizer reads `extensions.code`: it would answer an
 * INTERNAL_SERVER_ERROR about that, with no path. Such an error is remade as graphql-js makes it.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined });
  // No AST nodes to compute them from: the locations jit found.
  Object.defineProperty(copy, 'locations', { value: error.locations, enumerable: error.locations !== undefined });
  return copy;
}

/**
 * graphql-jit calls resolveType synchronously and reads the type's name from what it returns: a
 * promise (type-graphql wraps a union's or interface's own resolveType in an async function)
 * resolves no type, and every such field would answer an error. Refused at start, with the types named.
 */
export function assertSyncTypeResolvers(schema: GraphQLSchema): void {
  const isAsync = (fn: unknown) => typeof fn === 'function' && fn.constructor.name === 'AsyncFunction';
  const asyncTypes = Object.values(schema.getTypeMap()).filter((type) => isAbstractType(type) && isAsync(type.resolveType)).map((type) => type.name);
  if (asyncTypes.length > 0) throw new Error(`graphql-jit needs a synchronous resolveType; async on ${asyncTypes.join(', ')} (type-graphql's default resolves by class)`);
}

/**
 * graphql-jit under Apollo Server, through Apollo's gateway interface: Apollo keeps parsing,
 * validation (the limits), every plugin hook and the error formatter; only execution changes.
 * The compiled plan calls the schema's own resolvers (type-graphql's, the guard's middleware
 * with them) and resolveType, so authorization and masking are those of graphql-js.
 * Subscriptions never come here (graphql-ws runs graphql-js: src/server/subscriptions).
 */
export class JitExecution {
  private readonly pinned = new Map<string, Plan>();
  private readonly recent = new Map<string, Plan>();
  private readonly maxPlans: number;
  /** Plans made, for tests: a document is planned once, not per request. */
  compiled = 0;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly options: JitOptions = {},
  ) {
    this.maxPlans = options.maxPlans ?? 500;
    assertSyncTypeResolvers(schema);
  }

  /** Plans every document given (the trusted documents) ahead of the first request. */
  warm(): number {
    this.pinned.clear();
    for (const text of this.options.documents?.() ?? []) {
      let document: DocumentNode;
      try {
        document = parse(text);
      } catch {
        continue; // the manifest's own check reports it
      }
      const hash = sha256(text);
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === 'subscription') continue;
        this.pinned.set(keyOf(hash, definition.name?.value), this.compile(document, definition.name?.value));
      }
    }
    return this.pinned.size;
  }

  get size(): number {
    return this.pinned.size + this.recent.size;
  }

  private compile(document: DocumentNode, operationName: string | undefined): Plan {
    this.compiled += 1;
    // Leaves serialized as graphql-js does (custom scalars' serialize), no custom JSON: Apollo stringifies.
    return compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
  }

  planFor(queryHash: string, document: DocumentNode, operationName: string | null): Plan {
    const key = keyOf(queryHash, operationName);
    const pinned = this.pinned.get(key);
    if (pinned) return pinned;
    let plan = this.recent.get(key);
    if (plan) {
      // Most recently used last: Map keeps insertion order.
      this.recent.delete(key);
    } else {
      plan = this.compile(document, operationName ?? undefined);
      if (this.recent.size >= this.maxPlans) this.recent.delete(this.recent.keys().next().value!);
    }
    this.recent.set(key, plan);
    return plan;
  }

  readonly executor: GatewayExecutor = async (request: GatewayGraphQLRequestContext) => {
    const { document, operation, operationName, queryHash, context } = request;
    const variables = request.request.variables;
    if (operation.operation === 'subscription') {
      return execute({ schema: this.schema, document, contextValue: context, variableValues: variables, operationName });
    }
    const plan = this.planFor(queryHash, document, operationName);
    // A document jit cannot plan (it reports why as errors): graphql-js runs it, as without jit.
    if (!isCompiledQuery(plan)) return execute({ schema: this.schema, document, contextValue: context, variableValues: variables, operationName });
    const result = await plan.query(undefined, context, variables ?? {});
    // No data: the variables were refused before anything ran. graphql-js refuses them again,
    // with its own messages and the AST nodes Apollo recognises as BAD_USER_INPUT (jit's have none).
    if (result.data === undefined && result.errors?.length) return execute({ schema: this.schema, document, contextValue: context, variableValues: variables, operationName });
    return result.errors?.length ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };

  /**
   * Plans the documents at start: listed after the trusted-documents plugin, whose serverWillStart
   * loads the manifests (synchronously, before this one runs; the gateway's load comes earlier).
   */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      serverWillStart: async () => {
        this.warm();
      },
    };
  }

  /** The gateway Apollo is given instead of a schema (`new ApolloServer({ gateway })`). */
  gateway(): GatewayInterface {
    return {
      load: async () => ({ executor: this.executor }),
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: '' });
        return () => undefined;
      },
      stop: async () => undefined,
    };
  }
}
