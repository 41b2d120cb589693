import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage, type BuildSchemaOptions, type ContainerType } from 'type-graphql';

type ResolverClass = new () => object;

/**
 * The resolver classes' instances, one per class, shared by type-graphql (buildSchema's
 * `container`) and the direct calls below. type-graphql's own default container looks each
 * instance up by a scan of every class it made, on every call of every field resolver.
 */
export function resolverContainer(): ContainerType {
  const instances = new Map<unknown, object>();
  return {
    get(someClass: unknown) {
      let instance = instances.get(someClass);
      if (!instance) instances.set(someClass, (instance = new (someClass as ResolverClass)()));
      return instance;
    },
  };
}

/** The resolvers callFieldResolversDirectly put in place (for the tests: which fields it took over). */
const DIRECT = new WeakSet<object>();

export function isDirectCall(resolve: unknown): boolean {
  return typeof resolve === 'function' && DIRECT.has(resolve);
}

interface HandlerParam {
  kind: string;
  index: number;
  propertyName?: string;
  getType?: () => unknown;
}

/**
 * type-graphql calls every field resolver through a handler that, per call, makes a resolver-data
 * object, finds the class's instance, sorts and maps the method's parameter list and checks each
 * value for a promise: on a page of 50 dossiers, for its procedure, agency and applicant, that is
 * 150 times for what is known once. For field resolvers (`@FieldResolver` on a `@Resolver(() => T)`
 * class) with no guard, no middleware and only `@Root()`, `@Ctx()` and `@Info()` parameters, this
 * puts in place of that handler a call of the method with the same arguments, decided once.
 * `@Root()` with a class type (declared, or from the compiled code's metadata) converts a root that
 * is not already an instance: such a root goes through type-graphql's handler, as before. Arguments
 * (`@Arg`, `@Args`: converted to their input classes) and guarded fields keep the handler.
 *
 * After buildSchema, with the options it was given: its container (the instances) and its resolver
 * classes (a class of another build is not this schema's). With global middlewares, which every
 * field would have to run, it takes over nothing. Returns the fields it took over.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, build: Pick<BuildSchemaOptions, 'resolvers' | 'container' | 'globalMiddlewares'> & { container: ContainerType }): string[] {
  if ((build.globalMiddlewares?.length ?? 0) > 0) return [];
  const container = build.container;
  const storage = getMetadataStorage();
  const ours = new Set<unknown>(build.resolvers);
  const taken: string[] = [];
  for (const def of storage.fieldResolvers) {
    if (def.kind !== 'external' || !ours.has(def.target) || !def.getObjectType) continue;
    // What type-graphql's handler would run before the method, as it reads it: roles (any, even an
    // empty list: `@Authorized()` still asks the auth checker) and middlewares, of the field or its class.
    if (def.roles !== undefined || (def.middlewares?.length ?? 0) > 0) continue;
    const typeClass = def.getObjectType();
    const typeName = storage.objectTypes.find((o) => o.target === typeClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[def.schemaName];
    // Two classes resolving the same field: type-graphql took the first one's, and so does this.
    if (!field?.resolve || isDirectCall(field.resolve)) continue;
    const params = [...((def.params ?? []) as HandlerParam[])].sort((a, b) => a.index - b.index);
    if (!params.every((p, i) => p.index === i && (p.kind === 'context' || p.kind === 'info' || (p.kind === 'root' && !p.propertyName)))) continue;
    const instance = container.get(def.target, undefined as never) as Record<string, unknown>;
    const method = instance[def.methodName];
    if (typeof method !== 'function') continue;
    field.resolve = directCall(params, instance, method as (...args: unknown[]) => unknown, field.resolve);
    taken.push(`${type.name}.${field.name}`);
  }
  return taken;
}

function directCall(params: readonly HandlerParam[], instance: object, method: (...args: unknown[]) => unknown, handler: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  const root = params.find((p) => p.kind === 'root');
  const rootType = root?.getType?.();
  // A class: type-graphql's handler returns a root that is one of its instances as it is, and converts any other.
  const rootClass = typeof rootType === 'function' ? rootType : undefined;
  const kinds = params.map((p) => p.kind);
  const contextProperty = params.map((p) => p.propertyName);
  const call: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    if (rootClass && source != null && !(source instanceof rootClass)) return handler(source, args, context, info);
    const values = new Array<unknown>(kinds.length);
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      if (kind === 'root') values[i] = source;
      else if (kind === 'info') values[i] = info;
      else {
        const property = contextProperty[i];
        values[i] = property ? (context as Record<string, unknown>)[property] : context;
      }
    }
    return method.apply(instance, values);
  };
  DIRECT.add(call);
  return call;
}
