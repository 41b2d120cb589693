/**
 * Personal data, marked in one place. A field decorated with `@Personal(kind)` holds data about
 * a person; authorization and the access log guard every marked field without touching each
 * resolver, and a test fails when a type that holds personal data has a field with no mark.
 */
export type PersonalKind = 'NAME' | 'WARD' | 'NATIONAL_ID' | 'BIRTH_DATE' | 'PHONE' | 'EMAIL' | 'ADDRESS' | 'HOUSEHOLD';

export interface PersonalField {
  typeName: string;
  field: string;
  kind: PersonalKind;
}

const byClass = new Map<object, Map<string, PersonalKind>>();
const names = new Map<object, string>();

/** Marks a field of an object type as personal data. */
export function Personal(kind: PersonalKind): PropertyDecorator {
  return (target, property) => {
    const fields = byClass.get(target.constructor) ?? new Map<string, PersonalKind>();
    fields.set(String(property), kind);
    byClass.set(target.constructor, fields);
  };
}

/** Names the GraphQL type of a class whose fields are marked (the class holds a person's data). */
export function PersonalDataType(typeName: string): ClassDecorator {
  return (target) => {
    names.set(target, typeName);
    if (!byClass.has(target)) byClass.set(target, new Map());
  };
}

export function personalFields(): PersonalField[] {
  const out: PersonalField[] = [];
  for (const [cls, fields] of byClass) {
    const typeName = names.get(cls) ?? (cls as { name: string }).name;
    for (const [field, kind] of fields) out.push({ typeName, field, kind });
  }
  return out;
}

export function personalKind(typeName: string, field: string): PersonalKind | undefined {
  return personalFields().find((f) => f.typeName === typeName && f.field === field)?.kind;
}
