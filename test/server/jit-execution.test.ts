import { createHash } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { buildSchema, GraphQLError, parse, type GraphQLFieldResolver, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JitExecution } from '../../src/server/execution/jit.js';

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
