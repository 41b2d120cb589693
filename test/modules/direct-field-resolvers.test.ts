import 'reflect-metadata';
import { graphql, isObjectType, type GraphQLSchema } from 'graphql';
import { Authorized, buildSchema, Ctx, Field, FieldResolver, getMetadataStorage, ID, Info, ObjectType, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { callFieldResolversDirectly, isDirectCall, resolverContainer } from '../../src/modules/direct-field-resolvers.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';

function directFields(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) => Object.values(type.getFields()).filter((f) => isDirectCall(f.resolve)).map((f) => `${type.name}.${f.name}`));
}

describe("the gateway's field resolvers without type-graphql's per-call handler", () => {
  let direct: string[];
  beforeAll(async () => {
    direct = directFields(await buildGatewaySchema());
  });

  it('takes over the relations of a page: a dossier’s procedure, agency, applicant and ward, an indicator’s owner', () => {
    expect(direct).toEqual(expect.arrayContaining(['Dossier.procedure', 'Dossier.agency', 'Dossier.applicant', 'Dossier.ward', 'Indicator.owner']));
  });

  it('leaves guarded field resolvers (personal: the guard runs in their chain) and those with arguments to type-graphql', () => {
    expect(direct).not.toContain('Citizen.ward');
    expect(direct).not.toContain('Citizen.household');
    expect(direct).not.toContain('Dossier.events');
    // Root fields (with arguments) keep theirs as well.
    expect(direct.filter((f) => f.startsWith('Query.'))).toEqual([]);
  });

  it('is the same for the baseline schema without the guard', async () => {
    expect(directFields(await buildGatewaySchema({ guardPersonalData: false })).sort()).toEqual([...direct].sort());
  });
});

@ObjectType()
class Thing {
  @Field(() => ID)
  id!: string;

  get doubled(): string {
    return `${this.id}${this.id}`;
  }
}

@Resolver(() => Thing)
class ThingResolver {
  readonly calls: Array<{ root: unknown; context: unknown; path: string }> = [];

  @Query(() => [Thing])
  things(@Ctx() context: { roots: unknown[] }): unknown[] {
    return context.roots;
  }

  @FieldResolver(() => String)
  label(@Root() thing: Thing | { id: string }, @Ctx() context: unknown, @Info() info: { fieldName: string }): string {
    this.calls.push({ root: thing, context, path: info.fieldName });
    return thing instanceof Thing ? `thing ${thing.doubled}` : `plain ${thing.id}`;
  }
}

@ObjectType()
class Guarded {
  @Field(() => ID)
  id!: string;
}

@Resolver(() => Guarded)
class GuardedResolver {
  @Query(() => [Guarded])
  guarded(): Guarded[] {
    return [Object.assign(new Guarded(), { id: 'g' })];
  }

  // Without roles, the auth checker is still asked.
  @Authorized()
  @FieldResolver(() => String)
  secret(@Root() root: Guarded): string {
    return root.id;
  }

  @UseMiddleware(async (_, next) => next())
  @FieldResolver(() => String)
  wrapped(@Root() root: Guarded): string {
    return root.id;
  }
}

describe('callFieldResolversDirectly', () => {
  it('leaves a field resolver with @Authorized() (no roles) or a middleware to type-graphql, whose checker then still runs', async () => {
    const asked: string[] = [];
    const build = { resolvers: [GuardedResolver] as const, container: resolverContainer(), validate: false, authChecker: ({ info }: { info: { fieldName: string } }) => (asked.push(info.fieldName), false) };
    const schema = await buildSchema(build);
    expect(callFieldResolversDirectly(schema, build)).toEqual([]);
    const result = await graphql({ schema, source: '{ guarded { id secret wrapped } }', contextValue: {} });
    expect(asked).toEqual(['secret']);
    expect(result.errors?.map((e) => e.path?.join('.'))).toEqual(['guarded.0.secret']);
  });

  it('calls the method with its root, context and info, on the instance type-graphql also uses; a root that type-graphql would convert still goes through its handler', async () => {
    const container = resolverContainer();
    // (The gateway's classes, loaded above, carry @Authorized: the build asks for a checker, unused here.)
    const build = { resolvers: [ThingResolver] as const, container, validate: false, authChecker: () => true };
    const schema = await buildSchema(build);
    // The compiled code's decorator metadata gives @Root() its class (tsx and vitest emit none): as there.
    const param = getMetadataStorage().fieldResolvers.find((r) => r.target === ThingResolver && r.methodName === 'label')!.params!.find((p) => p.kind === 'root') as { getType?: () => unknown };
    param.getType = () => Thing;
    // With a global middleware, every field would have to run it: nothing is taken over.
    expect(callFieldResolversDirectly(schema, { ...build, globalMiddlewares: [async (_, next) => next()] })).toEqual([]);
    expect(callFieldResolversDirectly(schema, build)).toEqual(['Thing.label']);

    const instance = Object.assign(new Thing(), { id: 'a' });
    const plain = { id: 'b' };
    const context = { roots: [instance, plain] };
    const result = await graphql({ schema, source: '{ things { id label } }', contextValue: context });
    expect(result.errors).toBeUndefined();
    // The plain root became a Thing (type-graphql's conversion), the instance was passed as it is.
    expect(result.data).toEqual({ things: [{ id: 'a', label: 'thing aa' }, { id: 'b', label: 'thing bb' }] });
    const resolver = container.get(ThingResolver, undefined as never) as ThingResolver;
    expect(resolver.calls).toHaveLength(2);
    expect(resolver.calls[0]).toEqual({ root: instance, context, path: 'label' });
    expect(resolver.calls[0]!.root).toBe(instance);
    expect(resolver.calls[1]!.root).not.toBe(plain);
    expect(resolver.calls[1]!.root).toBeInstanceOf(Thing);
  });
});
