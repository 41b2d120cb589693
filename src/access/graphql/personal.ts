import { isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import { Authorized, Extensions, UseMiddleware } from 'type-graphql';
import type { PersonalKind, SubjectType } from '../vocabulary.js';
import { MaskPersonalData } from './mask.middleware.js';

/**
 * Personal data, declared where it is defined, and kept on the schema itself (GraphQL extensions):
 *
 * - `@PersonalDataType(subject)` on an object type that holds a person's data;
 * - `@Personal(kind)` on each of its personal fields (a property, or a field resolver method): the
 *   field is guarded by the auth checker (the field rules decide: visible, masked or denied), masked
 *   where they say so, and its reads go to the access log, with no code in its resolver;
 * - `@PersonalCriterion(kind, ...)` on each input field (a filter) that reveals a personal field;
 * - `@PersonalArgs({...})` on a query field, for its arguments that do: a look-up key, or an
 *   ordering (per enum value). type-graphql has no extensions on arguments or enum values, so
 *   the field carries its arguments' declarations.
 *
 * The query guard (query-guard.ts) refuses and logs queries from these declarations, read from the
 * schema for the arguments actually given; the coverage test reads them from the schema served.
 */

/** Extension keys. */
export const PERSONAL_FIELD = 'personal';
export const PERSONAL_DATA_TYPE = 'personalData';
export const PERSONAL_CRITERION = 'personalCriterion';
export const PERSONAL_ARGS = 'personalArgs';

/** One way a query reveals a personal field: a filter input, a look-up argument, an ordering value. */
export interface CriterionDeclaration {
  kind: PersonalKind;
  /** The personal field it reveals, as the access log names it (`birthDate`). */
  reveals: string;
  /**
   * How a refusal names it ("filter by birth date"). Inputs with the same wording are one criterion
   * (a range, ward or district); `part` says how this input's value is told in the value logged.
   */
  as: string;
  part?: { range: 'from' | 'to' } | { label: string };
}

/** An ordering argument: the enum values that order by a personal field (refused as "order by <VALUE>"). */
export interface OrderingDeclaration {
  values: Readonly<Record<string, Pick<CriterionDeclaration, 'kind' | 'reveals'>>>;
}

export type ArgumentDeclaration = CriterionDeclaration | OrderingDeclaration;

export function isOrdering(declaration: ArgumentDeclaration): declaration is OrderingDeclaration {
  return 'values' in declaration;
}

type FieldDecorator = (target: object, property: string | symbol, descriptor?: PropertyDescriptor) => void;

/** The personal fields declared on plain properties (no method, no accessor), by class. */
const PERSONAL_PROPERTIES = new WeakMap<object, Set<string>>();

/** Whether @Personal marks a plain property of this class (guardPersonalProperties may serve it directly). */
export function isPersonalProperty(target: object, property: string): boolean {
  return PERSONAL_PROPERTIES.get(target)?.has(property) ?? false;
}

/** Marks a field as personal data of this kind: a property of an object type, or a field resolver method. */
export function Personal(kind: PersonalKind): PropertyDecorator & MethodDecorator {
  const decorators = [Authorized(kind), UseMiddleware(MaskPersonalData), Extensions({ [PERSONAL_FIELD]: kind })] as unknown as FieldDecorator[];
  return ((target: object, property: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of decorators) decorate(target, property, descriptor);
    if (descriptor === undefined && typeof property === 'string') {
      const owner = (target as { constructor: object }).constructor;
      let properties = PERSONAL_PROPERTIES.get(owner);
      if (!properties) PERSONAL_PROPERTIES.set(owner, (properties = new Set()));
      properties.add(property);
    }
  }) as PropertyDecorator & MethodDecorator;
}

/** Marks an object type as holding the personal data of one subject (its objects name it: HoldsPersonalData). */
export function PersonalDataType(subject: SubjectType): ClassDecorator {
  return Extensions({ [PERSONAL_DATA_TYPE]: subject }) as ClassDecorator;
}

/** Marks an input field (a filter) as revealing a personal field. */
export function PersonalCriterion(kind: PersonalKind, declaration: Omit<CriterionDeclaration, 'kind'>): PropertyDecorator {
  return Extensions({ [PERSONAL_CRITERION]: { kind, ...declaration } satisfies CriterionDeclaration }) as PropertyDecorator;
}

/** Declares the arguments of a query field that reveal personal fields: look-up keys and orderings. */
export function PersonalArgs(args: Readonly<Record<string, ArgumentDeclaration>>): MethodDecorator {
  return Extensions({ [PERSONAL_ARGS]: args }) as MethodDecorator;
}

// ---------------------------------------------------------------------------------------------
// Reading the declarations back from a schema
// ---------------------------------------------------------------------------------------------

export interface PersonalField {
  typeName: string;
  field: string;
  kind: PersonalKind;
}

/** Every personal field of the schema. */
export function personalFields(schema: GraphQLSchema): PersonalField[] {
  const out: PersonalField[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const kind = field.extensions?.[PERSONAL_FIELD] as PersonalKind | undefined;
      if (kind) out.push({ typeName: type.name, field: field.name, kind });
    }
  }
  return out;
}

/** The object types of the schema that hold personal data, with their subject type. */
export function personalDataTypes(schema: GraphQLSchema): Map<string, SubjectType> {
  const out = new Map<string, SubjectType>();
  for (const type of Object.values(schema.getTypeMap())) {
    const subject = isObjectType(type) ? (type.extensions?.[PERSONAL_DATA_TYPE] as SubjectType | undefined) : undefined;
    if (subject) out.set(type.name, subject);
  }
  return out;
}

/** The input fields of the schema that reveal personal fields, by `Input.field`. */
export function personalCriteria(schema: GraphQLSchema): Map<string, CriterionDeclaration> {
  const out = new Map<string, CriterionDeclaration>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const declared = field.extensions?.[PERSONAL_CRITERION] as CriterionDeclaration | undefined;
      if (declared) out.set(`${type.name}.${field.name}`, declared);
    }
  }
  return out;
}

/** The declared arguments of a field, by name. */
export function personalArgsOf(field: { extensions?: Readonly<Record<string, unknown>> | null }): Readonly<Record<string, ArgumentDeclaration>> {
  return (field.extensions?.[PERSONAL_ARGS] as Record<string, ArgumentDeclaration> | undefined) ?? {};
}
