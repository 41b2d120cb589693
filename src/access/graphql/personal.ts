import { Authorized, UseMiddleware } from 'type-graphql';
import { MaskPersonalData } from './mask.middleware.js';

/**
 * Personal data, marked in one place. A field decorated with `@Personal(kind)` holds data about
 * a person: it is guarded by the auth checker (the policy decides: visible, masked or denied)
 * and its reads go to the access log, without any code in its resolver. A test fails when a
 * type that holds personal data has a field that is neither marked nor declared non-personal.
 */
export type PersonalKind = 'NAME' | 'GENDER' | 'WARD' | 'NATIONAL_ID' | 'BIRTH_DATE' | 'PHONE' | 'EMAIL' | 'ADDRESS' | 'HOUSEHOLD';

export interface PersonalField {
  typeName: string;
  field: string;
  kind: PersonalKind;
}

const byClass = new Map<object, Map<string, PersonalKind>>();
const names = new Map<object, string>();
const onResolvers: PersonalField[] = [];

/**
 * Marks a field as personal data: a property of an object type, or (naming the type) a field
 * resolver method of a resolver class, such as `Citizen.ward`.
 */
export function Personal(kind: PersonalKind, onType?: string): PropertyDecorator & MethodDecorator {
  const authorized = Authorized(kind) as PropertyDecorator & MethodDecorator;
  const masked = UseMiddleware(MaskPersonalData) as PropertyDecorator & MethodDecorator;
  return (target: object, property: string | symbol, descriptor?: PropertyDescriptor) => {
    if (onType) {
      onResolvers.push({ typeName: onType, field: String(property), kind });
    } else {
      const fields = byClass.get(target.constructor) ?? new Map<string, PersonalKind>();
      fields.set(String(property), kind);
      byClass.set(target.constructor, fields);
    }
    (authorized as (t: object, p: string | symbol, d?: PropertyDescriptor) => void)(target, property, descriptor);
    (masked as (t: object, p: string | symbol, d?: PropertyDescriptor) => void)(target, property, descriptor);
  };
}

/** Names the GraphQL type of a class that holds a person's data. */
export function PersonalDataType(typeName: string): ClassDecorator {
  return (target) => {
    names.set(target, typeName);
    if (!byClass.has(target)) byClass.set(target, new Map());
  };
}

export function personalFields(): PersonalField[] {
  const out: PersonalField[] = [...onResolvers];
  for (const [cls, fields] of byClass) {
    const typeName = names.get(cls) ?? (cls as { name: string }).name;
    for (const [field, kind] of fields) out.push({ typeName, field, kind });
  }
  return out;
}

/** The GraphQL types that hold personal data. */
export function personalDataTypes(): string[] {
  return [...new Set([...names.values(), ...onResolvers.map((f) => f.typeName)])].sort();
}
