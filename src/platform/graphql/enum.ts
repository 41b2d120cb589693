import { registerEnumType } from 'type-graphql';

type Underscored<S extends string> = S extends `${infer A}-${infer B}`
  ? Underscored<`${A}_${B}`>
  : S extends `${infer A}.${infer B}`
    ? Underscored<`${A}_${B}`>
    : S;

/** The GraphQL name of a stored value: `CC-BY-4.0` → `CC_BY_4_0`, `GeoJSON` → `GEOJSON`, `COMPLETED` → `COMPLETED`. */
export type EnumName<V extends string> = Uppercase<Underscored<V>>;

/** A vocabulary as the object type-graphql registers: GraphQL name → stored value. */
export type VocabularyEnum<V extends string> = { readonly [K in V as EnumName<K>]: K };

/** The stored values of an enum object (the vocabulary's TypeScript type). */
export type EnumValue<E> = E[keyof E];

export interface VocabularyEnumConfig<V extends string> {
  name: string;
  description: string;
  /** Every value is described: the schema documents each one. */
  valuesConfig: { readonly [K in V as EnumName<K>]: { description: string; deprecationReason?: string } };
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** `enumName('CC-BY-4.0')` is `CC_BY_4_0`, as EnumName says. */
export function enumName<V extends string>(value: V): EnumName<V> {
  const name = value.replace(/[-.]/g, '_').toUpperCase();
  if (!GRAPHQL_NAME.test(name)) throw new Error(`"${value}" has no GraphQL enum name`);
  return name as EnumName<V>;
}

/**
 * The GraphQL enum of a vocabulary (an `as const` array of a module's db layer), registered with
 * type-graphql. Its names are the values (upper-cased, `-` and `.` as `_`), its values the stored
 * ones, in the array's order, so the resolvers pass rows' values through without a cast. Use it
 * as a type too: `export type X = EnumValue<typeof X>`.
 */
export function vocabularyEnum<const V extends string>(values: readonly V[], config: VocabularyEnumConfig<V>): VocabularyEnum<V> {
  const entries = values.map((value) => [enumName(value), value] as const);
  const names = new Set(entries.map(([name]) => name));
  if (names.size !== values.length) throw new Error(`${config.name}: two values have the same GraphQL name`);
  const described = Object.keys(config.valuesConfig);
  if (described.length !== names.size || !described.every((name) => names.has(name as EnumName<V>))) {
    throw new Error(`${config.name}: valuesConfig must describe exactly the vocabulary's values`);
  }
  const enumObject = Object.freeze(Object.fromEntries(entries)) as VocabularyEnum<V>;
  registerEnumType(enumObject, { name: config.name, description: config.description, valuesConfig: config.valuesConfig as never });
  return enumObject;
}
