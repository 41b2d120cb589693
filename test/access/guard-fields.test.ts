/**
 * guardPersonalProperties (src/access/graphql/guard-fields.ts): on the gateway's schema, personal
 * properties are served by the guard called directly instead of type-graphql's middleware chain,
 * with the same questions to the guard, the same refusals and the same masking; field resolvers
 * keep their chain.
 */
import { getNamedType, isObjectType, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessDenied } from '../../src/access/errors.js';
import { guardPersonalProperties } from '../../src/access/graphql/guard-fields.js';
import { personalFields } from '../../src/access/graphql/personal.js';
import { mask } from '../../src/access/mask.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';

let schema: GraphQLSchema;
let before: Map<string, GraphQLFieldResolver<unknown, unknown> | undefined>;
let taken: number;

const objectType = (name: string) => schema.getType(name) as GraphQLObjectType;

beforeAll(async () => {
  schema = await buildGatewaySchema();
  before = new Map(personalFields(schema).map(({ typeName, field }) => [`${typeName}.${field}`, objectType(typeName).getFields()[field]!.resolve]));
  taken = guardPersonalProperties(schema);
});

function infoFor(type: GraphQLObjectType, field: string): GraphQLResolveInfo {
  return { fieldName: field, parentType: type, path: { prev: undefined, key: field, typename: type.name } } as unknown as GraphQLResolveInfo;
}

/** A context whose guard answers as told (at once, or as a promise), and records what it was asked. */
function contextAnswering(answer: 'deny' | 'mask' | 'grant', asked: unknown[][], later = false) {
  const decide = () => {
    if (answer === 'deny') throw new AccessDenied('refused by the test');
    return true as const;
  };
  return {
    access: {
      guard: {
        check(_root: unknown, typeName: string, field: string, kind: string, path: unknown) {
          asked.push([typeName, field, kind, path]);
          return later ? Promise.resolve().then(decide) : decide();
        },
        decisionFor: (_root: object, field: string) => (answer === 'mask' ? { access: 'masked', kind: personalFields(schema).find((p) => p.field === field)?.kind } : undefined),
      },
    },
  };
}

const taker = () => personalFields(schema).filter(({ typeName, field }) => objectType(typeName).getFields()[field]!.resolve !== before.get(`${typeName}.${field}`));

describe('guardPersonalProperties', () => {
  it('takes over the personal properties and leaves the field resolvers (which load from a source) their chain', () => {
    const names = taker().map(({ typeName, field }) => `${typeName}.${field}`);
    expect(taken).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['Citizen.fullName', 'Citizen.nationalId', 'Citizen.birthDate']));
    expect(names).not.toContain('Citizen.ward');
    expect(names).not.toContain('Citizen.household');
    for (const { typeName, field } of personalFields(schema)) {
      const type = objectType(typeName);
      if (!names.includes(`${typeName}.${field}`)) expect(isObjectType(getNamedType(type.getFields()[field]!.type)), `${typeName}.${field}`).toBe(true);
    }
  });

  it('asks the guard with its type, name, kind and path, at once or later; a refusal is FORBIDDEN', async () => {
    for (const later of [false, true]) {
      for (const { typeName, field, kind } of taker()) {
        const type = objectType(typeName);
        const asked: unknown[][] = [];
        const root = { personalSubject: () => ({ type: 'CITIZEN', rowId: 1, nationalId: null }), [field]: 'x' };
        const info = infoFor(type, field);
        const refused = Promise.resolve().then(() => type.getFields()[field]!.resolve!(root, {}, contextAnswering('deny', asked, later), info));
        await expect(refused, `${typeName}.${field} is refused`).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
        expect(asked).toEqual([[typeName, field, kind, info.path]]);
      }
    }
  });

  it('serves the property, masked where the guard decided so, without a promise when the guard answers at once', async () => {
    for (const { typeName, field, kind } of taker()) {
      const type = objectType(typeName);
      const value = getNamedType(type.getFields()[field]!.type).name === 'String' ? '048012345612' : 'MALE';
      const root = { personalSubject: () => ({ type: 'CITIZEN', rowId: 1, nationalId: null }), [field]: value };
      const resolve = type.getFields()[field]!.resolve!;
      expect(resolve(root, {}, contextAnswering('grant', []), infoFor(type, field))).toBe(value);
      expect(await resolve(root, {}, contextAnswering('grant', [], true), infoFor(type, field))).toBe(value);
      expect(await resolve(root, {}, contextAnswering('mask', [], true), infoFor(type, field)), `${typeName}.${field} is masked`).toBe(mask(kind, value));
    }
  });
});
