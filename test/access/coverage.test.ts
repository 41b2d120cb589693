/**
 * "Adding a field without a rule must make a test fail": every field of a type that holds
 * personal data is either marked @Personal (and so guarded by the policy) or declared here as
 * non-personal, with the reason. Personal fields are nullable (a denied field is null) and carry
 * type-graphql's @Authorized, so the auth checker runs on each of them.
 */
import { isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { MaskPersonalData } from '../../src/access/graphql/mask.middleware.js';
import { personalDataTypes, personalFields } from '../../src/access/graphql/personal.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';

/** Fields of personal-data types that are not personal data, each with the reason. */
const NON_PERSONAL: Record<string, Record<string, string>> = {
  Citizen: {
    id: 'An opaque global id; it names no one, and every way to a citizen record is row-scoped',
    businesses: 'The public business register: businesses the person legally represents',
    dossiers: "Row-scoped in SQL: only the dossiers the caller may see in full (self, the officer's agency, admin)",
    accessLog: 'The access log about the person, under its own rule: the citizen themselves, auditors and admins (FORBIDDEN otherwise)',
  },
  Household: {
    id: 'An opaque global id; households are row-scoped to their members and admins',
    ward: 'Only members and admins find a household, and both see the ward of its members',
  },
};

/**
 * Object types that are not personal-data types although a field's name sounds personal:
 * none today. A new type with e.g. a `nationalId` field must be marked @PersonalDataType or
 * be listed here with the reason.
 */
const PERSON_LIKE_FIELDS = ['nationalId', 'birthDate', 'gender', 'citizenId'];
const NOT_PERSONAL_TYPES: Record<string, string> = {};

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatewaySchema();
});

const marked = (typeName: string): string[] =>
  personalFields()
    .filter((p) => p.typeName === typeName)
    .map((p) => p.field);

describe('every field of a personal-data type has a rule', () => {
  it('knows the personal-data types: Citizen and Household at least', () => {
    expect(personalDataTypes()).toEqual(expect.arrayContaining(['Citizen', 'Household']));
    for (const typeName of personalDataTypes()) expect(isObjectType(schema.getType(typeName)), typeName).toBe(true);
  });

  it('each field is marked @Personal or declared non-personal with a reason', () => {
    const unruled: string[] = [];
    for (const typeName of personalDataTypes()) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type of the schema`);
      for (const field of Object.keys(type.getFields())) {
        if (!marked(typeName).includes(field) && !(field in (NON_PERSONAL[typeName] ?? {}))) unruled.push(`${typeName}.${field}`);
      }
    }
    expect(unruled, 'mark these @Personal(kind) or add them to NON_PERSONAL with a reason').toEqual([]);
  });

  it('no field is both personal and declared non-personal, and the allow-list names real fields', () => {
    for (const [typeName, fields] of Object.entries(NON_PERSONAL)) {
      expect(personalDataTypes(), `${typeName} is a personal-data type`).toContain(typeName);
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      for (const [field, reason] of Object.entries(fields)) {
        expect(type.getFields()[field], `${typeName}.${field} exists`).toBeDefined();
        expect(marked(typeName), `${typeName}.${field} is declared non-personal`).not.toContain(field);
        expect(reason.length, `${typeName}.${field} has a reason`).toBeGreaterThan(10);
      }
    }
  });

  it('no other object type has a person-like field without being a personal-data type or declared public', () => {
    const suspicious: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || personalDataTypes().includes(type.name) || type.name in NOT_PERSONAL_TYPES) continue;
      for (const field of Object.keys(type.getFields())) if (PERSON_LIKE_FIELDS.includes(field)) suspicious.push(`${type.name}.${field}`);
    }
    expect(suspicious).toEqual([]);
  });
});

describe('every personal field is guarded', () => {
  it('exists in the schema and is nullable (a denied field is null)', () => {
    expect(personalFields().length).toBeGreaterThan(0);
    for (const { typeName, field } of personalFields()) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      const definition = type.getFields()[field];
      expect(definition, `${typeName}.${field} is in the schema`).toBeDefined();
      expect(isNonNullType(definition!.type), `${typeName}.${field} must be nullable`).toBe(false);
    }
  });

  it("carries type-graphql's @Authorized(kind) and the masking middleware", () => {
    // buildSchema built a shallow clone of the storage: the field definitions it filled in
    // (roles, middlewares, object types of field resolvers) are these same objects.
    const storage = getMetadataStorage();
    const graphqlName = (target: unknown): string | undefined =>
      storage.objectTypes.find((o) => o.target === target)?.name ?? storage.interfaceTypes.find((i) => i.target === target)?.name;
    const objectOfResolver = (target: unknown): unknown => storage.resolverClasses.find((r) => r.target === target)?.getObjectType();

    for (const { typeName, field, kind } of personalFields()) {
      const onClass = storage.fields.filter((d) => d.schemaName === field && graphqlName(d.target) === typeName);
      const onResolver = storage.fieldResolvers.filter((d) => d.schemaName === field && graphqlName(objectOfResolver(d.target)) === typeName);
      const definitions = [...onClass, ...onResolver];
      expect(definitions.length, `${typeName}.${field} is defined by type-graphql`).toBeGreaterThan(0);
      for (const definition of definitions) {
        expect(definition.roles, `${typeName}.${field} carries @Authorized('${kind}')`).toEqual([kind]);
        expect(definition.middlewares, `${typeName}.${field} is masked where the policy says so`).toContain(MaskPersonalData);
      }
      // The raw @Authorized record, as the auth checker's wrapper finds it.
      const authorized = storage.authorizedFields.filter((a) => a.roles.includes(kind) && definitions.some((d) => d.target === a.target && ('name' in d ? d.name : d.methodName) === a.fieldName));
      expect(authorized.length, `${typeName}.${field} has an @Authorized record`).toBeGreaterThan(0);
    }
  });
});
