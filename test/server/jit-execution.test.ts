import { createHash } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { buildSchema, GraphQLError, parse, type GraphQLFieldResolver, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLUnionType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { assertSyncTypeResolvers, JitExecution } from '../../src/server/execution/jit.js';
import { as } from '../support/as.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';

class Hidden extends Error {}

const schema = buildSchema(/* GraphQL */ `
    interface Thing { id: ID! }
    type Book implements Thing { id: ID! title: String }
    type Pen implements Thing { id: ID! colour: String }
    union Found = Book | Pen
    type Query {
      things: [Thing!]!
      found: [Found!]!
      secret: String
      denied: String
      echo(text: String!): String!
    }
  `);
const kindOf = (row: unknown) => (row as { kind: string }).kind;
(schema.getType('Thing') as GraphQLInterfaceType).resolveType = kindOf;
(schema.getType('Found') as GraphQLUnionType).resolveType = kindOf;
const resolvers: Record<string, GraphQLFieldResolver<unknown, unknown>> = {
  things: () => [{ kind: 'Book', id: 1, title: 'Truyện Kiều' }, { kind: 'Pen', id: 2, colour: 'blue' }],
  found: () => [{ kind: 'Pen', id: 3, colour: 'red' }],
  secret: () => {
    throw new Hidden('select * from secrets');
  },
  denied: () => {
    throw new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });
  },
  echo: (_root, args) => (args as { text: string }).text,
};
for (const [name, field] of Object.entries((schema.getType('Query') as GraphQLObjectType).getFields())) field.resolve = resolvers[name];

const THINGS = '{ things { id ... on Book { title } ... on Pen { colour } } found { ... on Pen { id colour } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('graphql-jit under Apollo (GRAPHQL_EXECUTOR=jit)', () => {
  it('plans the trusted documents at start, and each other document once (bounded)', async () => {
    const jit = new JitExecution(schema, { documents: () => [THINGS, 'query A { secret } query B { denied }'], maxPlans: 2 });
    expect(jit.warm()).toBe(3);
    expect(jit.compiled).toBe(3);
    const run = (text: string, operationName: string | null = null) => {
      const document = parse(text);
      const operation = document.definitions[0] as never;
      return jit.executor({ document, operation, operationName, queryHash: sha256(text), context: {}, request: { variables: {} } } as never);
    };
    // A trusted document: no new plan.
    expect(await run(THINGS)).toEqual({ data: { things: [{ id: '1', title: 'Truyện Kiều' }, { id: '2', colour: 'blue' }], found: [{ id: '3', colour: 'red' }] } });
    expect(jit.compiled).toBe(3);
    // Another document: planned on its first request only.
    await run('{ echo(text: "a") }');
    await run('{ echo(text: "a") }');
    expect(jit.compiled).toBe(4);
    await run('{ e1: echo(text: "b") }');
    await run('{ e2: echo(text: "c") }');
    // At most two plans besides the trusted ones: the least recently used went.
    expect(jit.size).toBe(3 + 2);
    await run('{ echo(text: "a") }');
    expect(jit.compiled).toBe(7);
  });

  it('keeps Apollo: plugins see the response, errors keep their cause (masking) and their code', async () => {
    const jit = new JitExecution(schema);
    const seen: string[] = [];
    const causes: unknown[] = [];
    const watcher: ApolloServerPlugin = {
      async requestDidStart() {
        seen.push('requestDidStart');
        return {
          async didEncounterErrors({ errors }) {
            for (const error of errors) causes.push(unwrapResolverError(error));
          },
          async willSendResponse() {
            seen.push('willSendResponse');
          },
        };
      },
    };
    const server = new ApolloServer({
      gateway: jit.gateway(),
      plugins: [jit.plugin(), watcher],
      formatError: (formatted, error) => (unwrapResolverError(error) instanceof Hidden ? { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } } : formatted),
    });
    await server.start();
    try {
      const answer = await server.executeOperation({ query: '{ secret denied echo(text: $t) }'.replace('{', 'query($t: String!) {'), variables: { t: 'xin chào' } });
      expect(answer.body.kind).toBe('single');
      const result = answer.body.kind === 'single' ? answer.body.singleResult : undefined;
      expect(result?.data).toEqual({ secret: null, denied: null, echo: 'xin chào' });
      expect(result?.errors).toEqual([
        { message: 'Internal server error', path: ['secret'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        expect.objectContaining({ message: 'Not allowed', path: ['denied'], extensions: { code: 'FORBIDDEN' } }),
      ]);
      expect(causes[0]).toBeInstanceOf(Hidden);
      expect(seen).toEqual(['requestDidStart', 'willSendResponse']);
      // Validation stays Apollo's: an unknown field is refused before any plan is made.
      const compiled = jit.compiled;
      const invalid = await server.executeOperation({ query: '{ nothing }' });
      expect(invalid.body.kind === 'single' && invalid.body.singleResult.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(jit.compiled).toBe(compiled);
    } finally {
      await server.stop();
    }
  });
});

describe('variables refused under jit', () => {
  it('are BAD_USER_INPUT with graphql-js messages, as without jit (HTTP 400)', async () => {
    const answers: Record<string, unknown[]> = {};
    for (const mode of ['jit', 'graphql-js'] as const) {
      const jit = new JitExecution(schema);
      const server = new ApolloServer(mode === 'jit' ? { gateway: jit.gateway() } : { schema });
      await server.start();
      try {
        answers[mode] = [];
        for (const variables of [{ t: 7 }, {}]) {
          const answer = await server.executeOperation({ query: 'query($t: String!) { echo(text: $t) }', variables });
          const result = answer.body.kind === 'single' ? answer.body.singleResult : undefined;
          answers[mode]!.push({ status: answer.http.status, data: result?.data, errors: result?.errors?.map((e) => [e.message, e.extensions?.code]) });
        }
      } finally {
        await server.stop();
      }
    }
    expect(answers.jit).toEqual(answers['graphql-js']);
    expect(answers.jit).toEqual([
      { status: 400, data: undefined, errors: [['Variable "$t" got invalid value 7; String cannot represent a non string value: 7', 'BAD_USER_INPUT']] },
      { status: 400, data: undefined, errors: [['Variable "$t" of required type "String!" was not provided.', 'BAD_USER_INPUT']] },
    ]);
  });
});

describe('resolveType under jit', () => {
  it('refuses an async resolveType at start, naming the type (jit reads no type from a promise)', () => {
    const asyncSchema = buildSchema('type A { id: ID } type B { id: ID } union U = A | B type Query { u: U }');
    (asyncSchema.getType('U') as GraphQLUnionType).resolveType = async () => 'A';
    expect(() => new JitExecution(asyncSchema)).toThrow(/synchronous resolveType; async on U\b/);
    expect(() => assertSyncTypeResolvers(schema)).not.toThrow();
  });
});

/**
 * The gateway itself on both executors, over the same seeded databases: the same documents, as
 * the same callers, answer the same data, the same errors (message, path, code) and the same
 * number of statements. Whichever executor is the default, the other stays covered here.
 */
describe('the gateway on graphql-js and on jit', () => {
  let databases: SeededDatabases;
  const gateways: Partial<Record<'graphql-js' | 'jit', RunningGateway>> = {};

  beforeAll(async () => {
    databases = await seededDatabases();
    for (const executor of ['graphql-js', 'jit'] as const) {
      const config = loadConfig({ ...databases.env, GRAPHQL_EXECUTOR: executor });
      expect(config.executor).toBe(executor);
      gateways[executor] = await startGateway(config, { port: 0, connections: databases.connections });
    }
  });
  afterAll(async () => {
    await gateways['graphql-js']?.close();
    await gateways.jit?.close();
    await databases?.close();
  });

  interface Answer {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }>;
    extensions?: { sqlStatements?: { total: number; bySource: Record<string, number> } };
  }
  const post = async (executor: 'graphql-js' | 'jit', query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
    const response = await fetch(gateways[executor]!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Answer;
    const errors = body.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }));
    return { status: response.status, data: body.data, errors, statements: body.extensions?.sqlStatements };
  };
  /**
   * Both answers, checked equal; the graphql-js one returned for further checks. Each gateway
   * answers once before: a caller's first request fills caches (the agency's) with a statement
   * of its own, which is not the executor's.
   */
  const both = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
    await post('graphql-js', query, variables, headers);
    await post('jit', query, variables, headers);
    const reference = await post('graphql-js', query, variables, headers);
    expect(await post('jit', query, variables, headers)).toEqual(reference);
    return reference;
  };

  const APPLICANT = `applicant { __typename ... on Citizen { id fullName phone nationalId ward { fullName } } ... on Business { id name code ward { fullName } } }`;
  const WORKLIST = `query($first: Int!) { dossiers(first: $first, orderBy: DUE_AT) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id code status dueAt timeliness procedure { code name } agency { code name } ${APPLICANT} } } } }`;
  const RESULTS = `{ procedureResults(first: 20) { totalCount edges { node { id number holderKind
      printedHolder { __typename ... on PrintedCitizenHolder { fullName nationalId birthDate } ... on PrintedBusinessHolder { name code } }
      holder { __typename ... on Citizen { id fullName nationalId } ... on Business { id name code } } issuingAgency { code } } } } }`;

  it('answers alike: unions (applicant, holders), personal fields refused with FORBIDDEN, node look-ups, statement counts', async () => {
    const admin = await as('admin', { purpose: 'CITIZEN_REQUEST', auth: databases.config.auth });
    const worklist = await both(WORKLIST, { first: 40 }, admin);
    const edges = (worklist.data!.dossiers as { edges: Array<{ node: { id: string; agency: { code: string } | null; applicant: { __typename: string; id: string } | null } }> }).edges;
    expect(worklist.errors).toBeUndefined();
    expect(edges.length).toBe(40);
    // Both members of the union are there (the tiny seed files dossiers for citizens and businesses).
    expect(new Set(edges.map((e) => e.node.applicant?.__typename))).toEqual(new Set(['Citizen', 'Business']));

    // An officer without a purpose: personal fields null, each with its FORBIDDEN error, in both.
    const officer = await as('officer', { agency: edges.find((e) => e.node.agency)!.node.agency!.code, auth: databases.config.auth });
    const refused = await both(WORKLIST, { first: 10 }, officer);
    expect(refused.errors?.some((e) => e.code === 'FORBIDDEN')).toBe(true);

    const results = await both(RESULTS, {}, admin);
    expect(results.errors).toBeUndefined();
    const holders = (results.data!.procedureResults as { edges: Array<{ node: { printedHolder: { __typename: string } } }> }).edges.map((e) => e.node.printedHolder.__typename);
    expect(holders.length).toBeGreaterThan(0);
    await both(RESULTS, {}, officer);

    // The Node interface: every kind of id met above, and one that names nothing.
    const ids = [...new Set(edges.flatMap((e) => [e.node.id, e.node.applicant?.id]).filter((id): id is string => typeof id === 'string'))].slice(0, 30);
    const nodes = await both(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Citizen { fullName } ... on Dossier { code } ... on Business { name } } node(id: "bm90aGluZw") { id } }`, { ids }, admin);
    expect((nodes.data!.nodes as unknown[]).length).toBe(ids.length);
    expect(nodes.statements?.total).toBeGreaterThan(0);
  });
});
