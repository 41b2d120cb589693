import { isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { mask } from '../mask.js';
import type { PersonalKind } from '../vocabulary.js';
import type { AccessContext } from './context.js';
import { asGraphQLNow } from './errors.js';
import { MaskPersonalData } from './mask.middleware.js';
import { isPersonalProperty, PERSONAL_FIELD } from './personal.js';

/**
 * type-graphql runs each personal field through its middleware chain: the auth checker (the
 * guard) and the masking, each an async step, so every personal value costs half a dozen promises
 * even where the guard answers at once (for every value but a person's first). On personal fields
 * that are plain properties (no resolver of their own, no middleware but the masking), this puts
 * in place of that chain the same steps called directly: the guard's check (FORBIDDEN when denied;
 * a promise only while the person's relation is looked up), the property, and its mask where the
 * rules said "masked". Field resolvers (which load from a source) keep their chain.
 *
 * For the schema buildSchema made with the access auth checker (src/modules/schema.ts), after the
 * build; never for one built without the guard (the benchmark's baseline: unguardedPersonalProperties).
 * Returns how many fields it took over.
 */
export function guardPersonalProperties(schema: GraphQLSchema): number {
  const fields = personalProperties(schema);
  for (const { field, property, kind } of fields) field.resolve = guardedProperty(property, kind);
  return fields.length;
}

/**
 * The benchmark's baseline without the guard (schema built with an auth checker that always says
 * yes): the same fields read as plain properties, so that "guard and log off" leaves out the
 * guard's work and not also the chain guardPersonalProperties removes from the guarded schema.
 */
export function unguardedPersonalProperties(schema: GraphQLSchema): number {
  const fields = personalProperties(schema);
  for (const { field, property } of fields) field.resolve = (root) => (root as Record<string, unknown>)[property];
  return fields.length;
}

/** The personal fields that are plain properties with no middleware but the masking, and their property. */
function personalProperties(schema: GraphQLSchema): Array<{ field: GraphQLField<unknown, AccessContext>; property: string; kind: PersonalKind }> {
  const storage = getMetadataStorage();
  const found: Array<{ field: GraphQLField<unknown, AccessContext>; property: string; kind: PersonalKind }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const target = storage.objectTypes.find((o) => o.name === type.name)?.target;
    if (!target) continue;
    // Middleware or a guard on the whole class: left to type-graphql.
    if (storage.resolverMiddlewares.some((m) => m.target === target) || storage.authorizedResolver.some((a) => a.target === target)) continue;
    for (const field of Object.values(type.getFields())) {
      const kind = field.extensions?.[PERSONAL_FIELD] as PersonalKind | undefined;
      if (!kind) continue;
      const declared = storage.fields.find((f) => f.schemaName === field.name && (f.target === target || target.prototype instanceof f.target));
      if (!declared || !isPersonalProperty(declared.target, declared.name)) continue;
      if (storage.fieldResolvers.some((r) => r.methodName === declared.name && (r.target === target || r.getObjectType?.() === target))) continue;
      const middlewares = storage.middlewares.filter((m) => m.target === declared.target && m.fieldName === declared.name).flatMap((m) => m.middlewares);
      const roles = storage.authorizedFields.filter((a) => a.target === declared.target && a.fieldName === declared.name).flatMap((a) => a.roles);
      if (middlewares.length !== 1 || middlewares[0] !== MaskPersonalData || roles.length !== 1 || roles[0] !== kind) continue;
      found.push({ field: field as GraphQLField<unknown, AccessContext>, property: declared.name, kind });
    }
  }
  return found;
}

function guardedProperty(property: string, kind: PersonalKind): GraphQLFieldResolver<unknown, AccessContext> {
  return (root, _args, context, info) => {
    const guard = context.access.guard;
    const checked = asGraphQLNow(() => guard.check(root, info.parentType.name, info.fieldName, kind, info.path));
    if (checked === true) return served(context, root as Record<string, unknown>, property, info.fieldName);
    return checked.then(() => served(context, root as Record<string, unknown>, property, info.fieldName));
  };
}

/** The property as the caller may see it (masked where the guard decided so), as MaskPersonalData serves it. */
function served(context: AccessContext, root: Record<string, unknown>, property: string, field: string): unknown {
  const value = root[property];
  const decision = context.access.guard.decisionFor(root, field);
  if (decision?.access === 'masked' && typeof value === 'string') return mask(decision.kind, value);
  return value;
}
