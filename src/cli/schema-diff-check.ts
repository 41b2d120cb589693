import { CriticalityLevel, diff, validate, type Change } from '@graphql-inspector/core';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  Kind,
  parse,
  print,
  Source,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** One operation a client sends: from a trusted-documents manifest or a `.graphql` file. */
export interface Operation {
  /** The operation's name (`<anonymous>` when it has none). */
  name: string;
  /** Where it comes from: a manifest file, or a document file. */
  origin: string;
  /** The operation with the fragments it spreads, as one document. */
  document: DocumentNode;
}

/** An operation that runs on the base schema and no longer on the new one, and the change to blame. */
export interface BrokenOperation {
  operation: Operation;
  /** The breaking change it uses, or what validation says when no listed change names what it uses. */
  reason: string;
}

export interface SchemaDiffReport {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  /** How many operations were checked. */
  operations: number;
  broken: BrokenOperation[];
}

/** Every operation of a document, each with the fragments of the document (a manifest entry, a file). */
export function operationsOf(text: string, origin: string): Operation[] {
  const document = parse(text);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ name: operation.name?.value ?? '<anonymous>', origin, document: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] } }));
}

/**
 * The schema coordinates an operation relies on, read against the schema it was written for:
 * `Type.field` selected, `Type.field.arg` given, `Input.field` written, `Enum.VALUE` written, and
 * the types it names or reaches. An input object or enum given through a variable relies on all
 * its fields and values: the client may send any of them.
 */
export function coordinatesOf(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const seenInputs = new Set<string>();
  const wholeInput = (type: GraphQLInputType | undefined): void => {
    const named = type ? getNamedType(type) : undefined;
    if (!named || seenInputs.has(named.name)) return;
    seenInputs.add(named.name);
    used.add(named.name);
    if (isEnumType(named)) for (const value of named.getValues()) used.add(`${named.name}.${value.name}`);
    if (isInputObjectType(named)) {
      for (const field of Object.values(named.getFields())) {
        used.add(`${named.name}.${field.name}`);
        wholeInput(field.type);
      }
    }
  };
  const named = (type: GraphQLNamedType | null | undefined) => type && used.add(type.name);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}`);
        named(typeInfo.getType() ? getNamedType(typeInfo.getType()!) : null);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const argument = typeInfo.getArgument();
        if (parent && field && argument) used.add(`${parent.name}.${field.name}.${argument.name}`);
        named(typeInfo.getInputType() ? getNamedType(typeInfo.getInputType()!) : null);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const input = parent ? getNamedType(parent) : undefined;
        if (input) used.add(`${input.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        if (type) used.add(`${getNamedType(type).name}.${node.value}`);
      },
      VariableDefinition(node) {
        wholeInput(typeFromAST(schema, node.type) as GraphQLInputType | undefined);
      },
      InlineFragment() {
        named(typeInfo.getType() ? getNamedType(typeInfo.getType()!) : null);
      },
      FragmentDefinition() {
        named(typeInfo.getType() ? getNamedType(typeInfo.getType()!) : null);
      },
    }),
  );
  return used;
}

/** Changes at the level of a whole type that break every operation naming it (others are judged by validation). */
const TYPE_LEVEL = new Set(['TYPE_REMOVED', 'TYPE_KIND_CHANGED']);

/** Whether a breaking change touches what an operation relies on. */
function touches(change: Change, used: Set<string>): boolean {
  if (!change.path) return false;
  if (!change.path.includes('.')) return TYPE_LEVEL.has(change.type) && used.has(change.path);
  return used.has(change.path);
}

/**
 * Compares two schemas with graphql-inspector and judges the operations against the change: an
 * operation is broken when it validates on the base schema and not on the new one, or when a
 * breaking change touches a coordinate it relies on (a field whose type changed still validates,
 * and the client still breaks). Operations already invalid on the base are not this change's doing.
 */
export async function checkSchemaChange(base: GraphQLSchema, next: GraphQLSchema, operations: readonly Operation[]): Promise<SchemaDiffReport> {
  const changes = await diff(base, next);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const dangerous = changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous);
  const safe = changes.filter((c) => c.criticality.level === CriticalityLevel.NonBreaking);
  const options = { strictDeprecated: false, strictFragments: false };
  const broken: BrokenOperation[] = [];
  for (const operation of operations) {
    const source = () => new Source(print(operation.document), `${operation.origin}#${operation.name}`);
    if (validate(base, [source()], options).some((d) => d.errors.length > 0)) continue;
    const used = coordinatesOf(base, operation.document);
    const blamed = breaking.filter((change) => touches(change, used));
    const invalid = validate(next, [source()], options).flatMap((d) => d.errors);
    if (blamed.length > 0) broken.push({ operation, reason: blamed.map((c) => c.message).join('; ') });
    else if (invalid.length > 0) broken.push({ operation, reason: invalid.map((e) => e.message).join('; ') });
  }
  return { breaking, dangerous, safe, operations: operations.length, broken };
}
