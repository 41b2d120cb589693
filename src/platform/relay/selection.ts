import {
  isAbstractType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * What a document asks of the objects a field returns, so that repositories fetch only that
 * (the requested columns, the selected union members). Read from the resolve info: the field's
 * selection, through fragments and inline fragments; a fragment on another type is left out,
 * one on an interface or union the type belongs to is not. @skip/@include are not evaluated: a
 * field that may be skipped counts as selected (fetching a column too many is safe).
 */

/** Whether a type condition applies to objects of `typeName` ('' along a path: any). */
function applies(schema: GraphQLSchema, condition: string | undefined, typeName: string): boolean {
  if (!condition || !typeName || condition === typeName) return true;
  const type = schema.getType(condition);
  return Boolean(type && isAbstractType(type) && schema.getPossibleTypes(type).some((t) => t.name === typeName));
}

/** The field nodes of a selection set that apply to objects of `typeName` (fragments flattened). */
function fieldsOf(set: SelectionSetNode | undefined, typeName: string, info: Pick<GraphQLResolveInfo, 'schema' | 'fragments'>, out: FieldNode[] = []): FieldNode[] {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(info.schema, selection.typeCondition?.name.value, typeName)) fieldsOf(selection.selectionSet, typeName, info, out);
    } else {
      const fragment: FragmentDefinitionNode | undefined = info.fragments[selection.name.value];
      if (fragment && applies(info.schema, fragment.typeCondition.name.value, typeName)) fieldsOf(fragment.selectionSet, typeName, info, out);
    }
  }
  return out;
}

/**
 * The names of the fields selected on objects of `typeName` under the current field, following
 * `path` first (`['edges', 'node']` for a connection's nodes). `__typename` is not a field of
 * the object and is left out.
 */
export function selectedFields(info: GraphQLResolveInfo, typeName: string, path: readonly string[] = []): Set<string> {
  let sets: Array<SelectionSetNode | undefined> = info.fieldNodes.map((node) => node.selectionSet);
  for (const step of path) {
    // Along the path the types are the connection's own (edges, node): no type condition to meet.
    const next: Array<SelectionSetNode | undefined> = [];
    for (const set of sets) for (const field of fieldsOf(set, '', info)) if (field.name.value === step) next.push(field.selectionSet);
    sets = next;
  }
  const names = new Set<string>();
  for (const set of sets) for (const field of fieldsOf(set, typeName, info)) if (field.name.value !== '__typename') names.add(field.name.value);
  return names;
}

/**
 * Whether the document asks anything of objects of `typeName` returned by the current field (a
 * union member, an interface's implementation): `__typename` or any field on it. A member asked
 * nothing of need not be loaded.
 */
export function selectsAnything(info: GraphQLResolveInfo, typeName: string): boolean {
  return info.fieldNodes.some((node) => fieldsOf(node.selectionSet, typeName, info).length > 0);
}

/** Per GraphQL field of a type, the row's columns its value is made from. */
export type FieldColumns<Row> = Readonly<Record<string, readonly (keyof Row & string)[]>>;

/**
 * The columns to fetch for the selected fields: `always` (the id, the keyset's columns, what a
 * scope or the access log needs) and each selected field's. Undefined (every column) when a
 * field is selected that the map does not know: a field added to the type without its columns
 * still gets them.
 */
export function columnsFor<Row>(selected: ReadonlySet<string>, map: FieldColumns<Row>, always: readonly (keyof Row & string)[]): Array<keyof Row & string> | undefined {
  const columns = new Set(always);
  for (const field of selected) {
    const needs = map[field];
    if (!needs) return undefined;
    for (const column of needs) columns.add(column);
  }
  return [...columns];
}

/** `fieldsAsked` per field nodes and type: the same for every row of a list (graphql-js collects a list's subfields once). */
const asked = new WeakMap<readonly FieldNode[], Map<string, ReadonlySet<string>>>();

/**
 * `selectedFields` of the current field on objects of `typeName`, computed once per field nodes
 * (not once per row of a page) and returned as the same Set each time: what column-aware loaders
 * take (`loadAs(loaders.reference.agencyById, id, Agency.from, fieldsAsked(info, 'Agency'))`).
 */
export function fieldsAsked(info: GraphQLResolveInfo, typeName: string): ReadonlySet<string> {
  let byType = asked.get(info.fieldNodes);
  if (!byType) asked.set(info.fieldNodes, (byType = new Map()));
  let fields = byType.get(typeName);
  if (!fields) byType.set(typeName, (fields = selectedFields(info, typeName)));
  return fields;
}
