/**
 * "Adding a field without a rule must make a test fail": every field of a type that holds
 * personal data is either marked @Personal (and so guarded by the policy) or declared here as
 * non-personal, with the reason; every filter field, ordering and look-up argument of a query for
 * personal data is declared (@PersonalCriterion, @PersonalArgs) or declared here as revealing
 * nothing personal. Personal fields are nullable (a denied field is null), and on the schema that
 * is served each one goes through the guard and the masking. Everything here is read from that
 * schema (buildGatewaySchema), whose extensions carry the declarations.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessDenied } from '../../src/access/errors.js';
import { isOrdering, personalArgsOf, personalCriteria, personalDataTypes, personalFields } from '../../src/access/graphql/personal.js';
import { mask } from '../../src/access/mask.js';
import { PERSONAL_KINDS } from '../../src/access/vocabulary.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';
import { moduleSamples } from '../support/samples/index.js';

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

/** Arguments of fields returning personal data that reveal nothing personal, each with the reason. */
const NON_PERSONAL_ARGS: Record<string, string> = {
  first: 'Paging: how many, in the order the (declared) ordering gives',
  last: 'Paging: how many, in the order the (declared) ordering gives',
  after: 'Paging: an opaque cursor the caller was given, bound to the caller',
  before: 'Paging: an opaque cursor the caller was given, bound to the caller',
};

/** Input fields of such arguments that reveal nothing personal. */
const NON_PERSONAL_INPUTS: Record<string, string> = {
  ...reasons('the business register is public', 'BusinessFilter', ['kind', 'status', 'wardId', 'districtId', 'industryCode', 'legalForm', 'digitalTech', 'registeredFrom', 'registeredTo']),
  'BusinessFilter.search': "a business's name (public register data)",
  ...reasons("a dossier's own facts, within the caller's dossier scope", 'DossierFilter', ['agencyId', 'procedureId', 'status', 'channel', 'submittedFrom', 'submittedTo', 'dueBefore', 'overdue', 'wardId']),
  'DossierFilter.applicantId': "the applicant's opaque id: finds only dossiers inside the caller's dossier scope, and reveals no field of the person",
};

/** Look-up and ordering arguments of such fields that reveal nothing personal, by `Type.field(argument)`. */
const NON_PERSONAL_FIELD_ARGS: Record<string, string> = {
  'Query.business(code)': "an enterprise or tax code: public register data",
  'Query.dossier(code)': "a dossier's code (the citizen's receipt), within the caller's dossier scope",
  ...Object.fromEntries(
    ['Agency.dossiers', 'Citizen.dossiers', 'Business.dossiers', 'Query.dossiers', 'Query.businesses'].map((f) => [
      `${f}(orderBy)`,
      'orders by dates, codes or names of the rows listed (dossiers, businesses), never by a personal field',
    ]),
  ),
};

function reasons(reason: string, input: string, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [`${input}.${f}`, reason]));
}

/** Each module's declared reasons (`coverage` in test/modules/<source>/samples.ts), added to the tables above. */
async function addModuleReasons(): Promise<void> {
  for (const { coverage } of await moduleSamples()) {
    for (const [typeName, fields] of Object.entries(coverage?.nonPersonal ?? {})) NON_PERSONAL[typeName] = { ...NON_PERSONAL[typeName], ...fields };
    Object.assign(NON_PERSONAL_INPUTS, coverage?.nonPersonalInputs);
    Object.assign(NON_PERSONAL_FIELD_ARGS, coverage?.nonPersonalFieldArgs);
  }
}

/** Values of ordering arguments that order by nothing personal. */
const NON_PERSONAL_ORDERINGS: Record<string, string> = {
  'CitizenOrder.NEWEST': 'Newest registration in the database first (row id): no personal field',
};

/**
 * Object types that are not personal-data types although a field's name sounds personal:
 * none today. A new type with e.g. a `nationalId` field must be marked @PersonalDataType or
 * be listed here with the reason.
 */
const PERSON_LIKE_FIELDS = ['nationalId', 'birthDate', 'gender', 'citizenId'];
const NOT_PERSONAL_TYPES: Record<string, string> = {};

let schema: GraphQLSchema;
let types: Map<string, string>;
beforeAll(async () => {
  await addModuleReasons();
  schema = await buildGatewaySchema();
  types = personalDataTypes(schema);
});

const marked = (typeName: string): string[] =>
  personalFields(schema)
    .filter((p) => p.typeName === typeName)
    .map((p) => p.field);

const objectType = (name: string): GraphQLObjectType => {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
  return type;
};

describe('every field of a personal-data type has a rule', () => {
  it('knows the personal-data types: Citizen and Household at least, each naming its subject type', () => {
    expect([...types.keys()]).toEqual(expect.arrayContaining(['Citizen', 'Household']));
    expect(types.get('Citizen')).toBe('CITIZEN');
    expect(types.get('Household')).toBe('HOUSEHOLD');
    for (const typeName of types.keys()) expect(isObjectType(schema.getType(typeName)), typeName).toBe(true);
  });

  it('each field is marked @Personal or declared non-personal with a reason', () => {
    const unruled: string[] = [];
    for (const typeName of types.keys()) {
      for (const field of Object.keys(objectType(typeName).getFields())) {
        if (!marked(typeName).includes(field) && !(field in (NON_PERSONAL[typeName] ?? {}))) unruled.push(`${typeName}.${field}`);
      }
    }
    expect(unruled, 'mark these @Personal(kind) or add them to NON_PERSONAL with a reason').toEqual([]);
  });

  it('no field is both personal and declared non-personal, and the allow-list names real fields', () => {
    for (const [typeName, fields] of Object.entries(NON_PERSONAL)) {
      expect([...types.keys()], `${typeName} is a personal-data type`).toContain(typeName);
      const type = objectType(typeName);
      for (const [field, reason] of Object.entries(fields)) {
        expect(type.getFields()[field], `${typeName}.${field} exists`).toBeDefined();
        expect(marked(typeName), `${typeName}.${field} is declared non-personal`).not.toContain(field);
        expect(reason.length, `${typeName}.${field} has a reason`).toBeGreaterThan(10);
      }
    }
  });

  it('personal fields are only on personal-data types', () => {
    for (const { typeName, field } of personalFields(schema)) expect(types.has(typeName), `${typeName}.${field}: mark ${typeName} @PersonalDataType`).toBe(true);
  });

  it('no other object type has a person-like field without being a personal-data type or declared public', () => {
    const suspicious: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || types.has(type.name) || type.name in NOT_PERSONAL_TYPES) continue;
      for (const field of Object.keys(type.getFields())) if (PERSON_LIKE_FIELDS.includes(field)) suspicious.push(`${type.name}.${field}`);
    }
    expect(suspicious).toEqual([]);
  });
});

/** A resolve info as the executor would give a field of an object (what the guard and the masking read). */
function infoFor(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): GraphQLResolveInfo {
  return {
    fieldName: field.name,
    fieldNodes: [],
    returnType: field.type,
    parentType: type,
    path: { prev: undefined, key: field.name, typename: type.name },
    schema,
    fragments: {},
    rootValue: undefined,
    operation: { kind: 'OperationDefinition', operation: 'query', selectionSet: { kind: 'SelectionSet', selections: [] } },
    variableValues: {},
  } as unknown as GraphQLResolveInfo;
}

/** A context whose guard answers as told, and records what it was asked. */
function contextAnswering(answer: 'deny' | 'mask', asked: unknown[][]) {
  return {
    access: {
      guard: {
        async check(_root: unknown, typeName: string, field: string, kind: string) {
          asked.push([typeName, field, kind]);
          if (answer === 'deny') throw new AccessDenied(`${typeName}.${field}: refused by the test`);
          return true;
        },
        decisionFor: (_root: object, field: string) => (answer === 'mask' ? { access: 'masked', kind: personalFields(schema).find((p) => p.field === field)?.kind } : undefined),
      },
    },
  };
}

describe('every personal field is guarded, on the schema served', () => {
  it('exists in the schema, with a kind of the vocabulary, and is nullable (a denied field is null)', () => {
    expect(personalFields(schema).length).toBeGreaterThan(0);
    for (const { typeName, field, kind } of personalFields(schema)) {
      expect(PERSONAL_KINDS, `${typeName}.${field}`).toContain(kind);
      const definition = objectType(typeName).getFields()[field];
      expect(isNonNullType(definition!.type), `${typeName}.${field} must be nullable`).toBe(false);
    }
  });

  it('asks the guard with its type, name and kind, and a refusal is FORBIDDEN', async () => {
    for (const { typeName, field, kind } of personalFields(schema)) {
      const type = objectType(typeName);
      const definition = type.getFields()[field]!;
      const asked: unknown[][] = [];
      const root = { personalSubject: () => ({ type: 'CITIZEN', rowId: 1, nationalId: null }), [field]: 'x' };
      const resolved = Promise.resolve().then(() => definition.resolve!(root, {}, contextAnswering('deny', asked), infoFor(type, definition)));
      await expect(resolved, `${typeName}.${field} is refused`).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      expect(asked, `${typeName}.${field} asked the guard`).toEqual([[typeName, field, kind]]);
    }
  });

  it('is masked where the guard says so', async () => {
    // Properties of the type (field resolvers would load from the sources: their masking is the same middleware).
    const properties = personalFields(schema).filter(({ typeName, field }) => {
      const type = objectType(typeName);
      return getNamedType(type.getFields()[field]!.type).name === 'String';
    });
    expect(properties.length).toBeGreaterThan(0);
    for (const { typeName, field, kind } of properties) {
      const type = objectType(typeName);
      const definition = type.getFields()[field]!;
      const value = '048012345612';
      const root = { personalSubject: () => ({ type: 'CITIZEN', rowId: 1, nationalId: null }), [field]: value };
      const served = await definition.resolve!(root, {}, contextAnswering('mask', []), infoFor(type, definition));
      expect(served, `${typeName}.${field} is masked`).toBe(mask(kind, value));
    }
  });
});

describe('every filter, ordering and look-up of a query for personal data is declared', () => {
  /**
   * Whether objects of this type carry personal data: a personal-data type, a union with one
   * among its members, or an object with such a field (one level: e.g. a holder
   * printed on a document; deeper relations are lists of their own, checked where they are fields).
   */
  const carriesPersonalData = (name: string, depth = 1): boolean => {
    if (types.has(name)) return true;
    const type = schema.getType(name);
    if (isUnionType(type)) return type.getTypes().some((member) => types.has(member.name));
    if (depth === 0 || !isObjectType(type)) return false;
    return Object.values(type.getFields()).some((f) => carriesPersonalData(getNamedType(f.type).name, depth - 1));
  };
  /** Fields (anywhere in the schema) that return objects carrying personal data, or a connection of them. */
  const personalQueries = () =>
    Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field })))
      .filter(({ field }) => {
        const named = getNamedType(field.type).name;
        return carriesPersonalData(named) || carriesPersonalData(named.replace(/Connection$/, ''));
      });

  it('finds the queries for personal data: citizens, citizen, households at least', () => {
    const names = personalQueries().map(({ type, field }) => `${type.name}.${field.name}`);
    expect(names).toEqual(expect.arrayContaining(['Query.citizens', 'Query.citizen', 'Query.households']));
  });

  it('each argument, input field and ordering value is declared, or declared non-personal with a reason', () => {
    const undeclared: string[] = [];
    const criteria = personalCriteria(schema);
    for (const { type, field } of personalQueries()) {
      const declared = personalArgsOf(field);
      for (const arg of field.args) {
        const name = `${type.name}.${field.name}(${arg.name})`;
        const declaration = declared[arg.name];
        const argType = getNamedType(arg.type);
        if (declaration && isOrdering(declaration)) {
          if (!isEnumType(argType)) throw new Error(`${name} is declared an ordering but is not an enum`);
          for (const value of argType.getValues()) {
            if (!(value.name in declaration.values) && !(`${argType.name}.${value.name}` in NON_PERSONAL_ORDERINGS)) undeclared.push(`${argType.name}.${value.name}`);
          }
        } else if (!declaration && isInputObjectType(argType)) {
          for (const input of Object.keys(argType.getFields())) {
            const key = `${argType.name}.${input}`;
            if (!criteria.has(key) && !(key in NON_PERSONAL_INPUTS)) undeclared.push(key);
          }
        } else if (!declaration && !(arg.name in NON_PERSONAL_ARGS) && !(name in NON_PERSONAL_FIELD_ARGS)) {
          undeclared.push(name);
        }
      }
    }
    expect(undeclared, 'declare these (@PersonalCriterion on an input field, @PersonalArgs on the field) or list them here with a reason').toEqual([]);
  });

  it('each declaration reveals a personal field of its kind', () => {
    const fields = personalFields(schema);
    const reveals = (kind: string, field: string) => fields.some((p) => p.kind === kind && p.field === field);
    const declarations = [...personalCriteria(schema).entries()];
    for (const { type, field } of personalQueries()) {
      for (const [arg, declaration] of Object.entries(personalArgsOf(field))) {
        if (isOrdering(declaration)) for (const [value, by] of Object.entries(declaration.values)) declarations.push([`${type.name}.${field.name}(${arg}: ${value})`, { ...by, as: '' }]);
        else declarations.push([`${type.name}.${field.name}(${arg})`, declaration]);
      }
    }
    expect(declarations.length).toBeGreaterThan(10);
    for (const [where, declaration] of declarations) expect(reveals(declaration.kind, declaration.reveals), `${where} reveals ${declaration.kind} ${declaration.reveals}`).toBe(true);
  });
});
