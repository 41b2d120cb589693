/**
 * The column plans of the by-key loaders (ColumnPlan, src/platform/loaders/batch.ts) that leave
 * other modules' fields out (`unlisted: 'always'`): such a field is answered from the `always`
 * columns only, so nothing may be forgotten on either side. Read from type-graphql's metadata:
 * every field the type's own module makes (a property of the class, which `from(row)` fills from
 * columns, or a field resolver of the module) is in the plan; no field of another module is; and
 * each other module's field resolver reads from its parent object only what `from` makes of the
 * `always` columns (the row's id), read from the resolver's source.
 */
import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { Business } from '../../src/modules/business/module.js';
import { BUSINESS_COLUMNS } from '../../src/modules/business/loaders.js';
import { Citizen } from '../../src/modules/population/module.js';
import { CITIZEN_COLUMNS } from '../../src/modules/population/loaders.js';
import { Agency } from '../../src/modules/reference/module.js';
import { AGENCY_COLUMNS } from '../../src/modules/reference/loaders.js';
import { Procedure } from '../../src/modules/services/module.js';
import { PROCEDURE_COLUMNS } from '../../src/modules/services/loaders.js';
import { columnLoader, type ColumnPlan } from '../../src/platform/loaders/batch.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each plan is of its own row type
type AnyPlan = ColumnPlan<any>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's metadata holds classes
type Class = Function & { from(row: Record<string, unknown>): object };

const PLANS: ReadonlyArray<{ type: Class; plan: AnyPlan; source: string }> = [
  { type: Citizen, plan: CITIZEN_COLUMNS, source: 'population' },
  { type: Business, plan: BUSINESS_COLUMNS, source: 'business' },
  { type: Agency, plan: AGENCY_COLUMNS, source: 'reference' },
  { type: Procedure, plan: PROCEDURE_COLUMNS, source: 'services' },
];

const storage = getMetadataStorage();
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- classes, as type-graphql keeps them
const ownerOf = new Map<Function, string>(MODULES.flatMap((m) => m.resolvers.map((r) => [r, m.name] as const)));

/** The field resolvers on a type, each with the source whose resolver class declares it. */
function fieldResolversOf(type: Class) {
  return storage.fieldResolvers
    .filter((f) => storage.resolverClasses.find((r) => r.target === f.target)?.getObjectType() === type)
    .map((f) => ({ ...f, source: ownerOf.get(f.target) }));
}

/** The fields declared on the class (and the classes it extends, such as Node's id). */
function classFieldsOf(type: Class): string[] {
  const chain: unknown[] = [];
  for (let c: unknown = type; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
  return storage.fields.filter((f) => chain.includes(f.target)).map((f) => f.schemaName);
}

/** The parameter list of a function's source, split at its top-level commas. */
function parametersOf(source: string): { names: string[]; body: string } {
  const open = source.indexOf('(');
  let depth = 0;
  let at = open;
  const names: string[] = [];
  let start = open + 1;
  for (; at < source.length; at += 1) {
    const c = source[at]!;
    if ('([{'.includes(c)) depth += 1;
    else if (')]}'.includes(c)) depth -= 1;
    if ((c === ',' && depth === 1) || depth === 0) {
      names.push(source.slice(start, at).trim());
      start = at + 1;
    }
    if (depth === 0) break;
  }
  return { names, body: source.slice(at + 1) };
}

/**
 * What a field resolver reads of its parent (`@Root()`), from its source as it runs: each
 * `<parent>.<property>`; a method read is called on a parent that records what it reads in turn.
 * A parent handed on whole (to a function that could read anything) is reported as such.
 */
function parentReads(resolver: ReturnType<typeof fieldResolversOf>[number], parent: Record<string, unknown>): Set<string> {
  const root = storage.params.find((p) => p.target === resolver.target && p.methodName === resolver.methodName && p.kind === 'root')!;
  const method = (resolver.target as { prototype: Record<string, (...a: unknown[]) => unknown> }).prototype[resolver.methodName]!;
  const { names, body: text } = parametersOf(method.toString());
  // Without comments and string literals (a message may say "the citizen").
  const body = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
  const name = names[root.index]!;
  const reads = new Set<string>();
  if (name.startsWith('{')) {
    for (const part of name.slice(1, -1).split(',')) reads.add(part.split(':')[0]!.trim());
  } else {
    for (const [, property] of body.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))) reads.add(property!);
    if (new RegExp(`\\b${name}\\b(?!\\.)`).test(body)) reads.add('(the whole parent, handed on)');
  }
  for (const key of [...reads]) {
    if (typeof parent[key] !== 'function') continue;
    const recording = new Proxy(parent, { get: (target, k, receiver) => (typeof k === 'string' && reads.add(k), Reflect.get(target, k, receiver)) });
    (parent[key] as () => unknown).call(recording);
  }
  return reads;
}

describe.each(PLANS)('the column plan of $type.name', ({ type, plan, source }) => {
  const own = new Set([...classFieldsOf(type), ...fieldResolversOf(type).filter((f) => f.source === source).map((f) => f.schemaName)]);
  const others = fieldResolversOf(type).filter((f) => f.source !== source);

  it('answers the fields it does not list from the always columns', () => {
    expect(plan.unlisted).toBe('always');
  });

  it("lists every field of the type's own module", () => {
    expect(own.size).toBeGreaterThan(3);
    expect([...own].filter((field) => !(field in plan.fields))).toEqual([]);
  });

  it("lists no field of another module (adding a source edits no other module's plan)", () => {
    expect(others.map((f) => f.schemaName).filter((field) => field in plan.fields)).toEqual([]);
  });

  it("has other modules' fields read of the parent only what the always columns make", () => {
    // Two rows that differ only in the always columns: a property made from them differs.
    const rowOf = (n: number) => Object.fromEntries(plan.always.map((column) => [column, column === 'id' || column.endsWith('_id') ? n : `${column}-${n}`]));
    const [a, b] = [type.from(rowOf(7)), type.from(rowOf(8))] as Array<Record<string, unknown>>;
    const fromKey = (key: string) => typeof a[key] === 'function' || a[key] !== b[key];
    for (const resolver of others) {
      const reads = parentReads(resolver, a);
      // Each of them reads the parent at all (else the probe proves nothing)...
      expect(reads.size, `${resolver.schemaName} reads nothing of its parent`).toBeGreaterThan(0);
      // ...and only what the key makes.
      expect([...reads].filter((key) => !fromKey(key)), `${type.name}.${resolver.schemaName}`).toEqual([]);
    }
  });
});

describe('the planned types other modules extend', () => {
  it('are Citizen, Business and Agency (the probe above runs on their relations)', () => {
    const extended = new Set(
      storage.fieldResolvers
        .map((f) => ({ type: storage.resolverClasses.find((r) => r.target === f.target)?.getObjectType(), source: ownerOf.get(f.target) }))
        .filter(({ type, source }) => PLANS.some((p) => p.type === type) && source !== PLANS.find((p) => p.type === type)!.source)
        .map(({ type }) => type),
    );
    expect([...extended].map((t) => (t as Class).name).sort()).toEqual(['Agency', 'Business', 'Citizen']);
  });
});

describe("columnLoader with `unlisted: 'always'`", () => {
  it('selects the always columns for a field it does not list, and the listed ones their columns', async () => {
    const calls: Array<string[] | undefined> = [];
    const loader = columnLoader<number, { id: number; a?: string }>(
      async (keys, columns) => (calls.push(columns ? [...columns].sort() : undefined), keys.map((id) => ({ id, ...(columns?.includes('a') ? { a: `a${id}` } : {}) }))),
      (row) => row.id,
      { always: ['id'], fields: { a: ['a'] }, unlisted: 'always' },
      { batch: true },
    );
    expect(await loader.load(1, new Set(['dossiers']))).toEqual({ id: 1 });
    expect(await loader.load(2, new Set(['a', 'dossiers']))).toEqual({ id: 2, a: 'a2' });
    expect(calls).toEqual([['id'], ['a', 'id']]);
  });
});
