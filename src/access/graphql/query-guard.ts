import {
  getArgumentValues,
  getNullableType,
  isInputObjectType,
  isListType,
  type GraphQLInputType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { mayQueryBy, queryNarrowedToCase } from '../field-rules.js';
import type { Criterion } from '../guard.js';
import { openedByCase } from '../principal.js';
import type { PersonalSubject } from '../subject.js';
import type { PersonalKind, SubjectType } from '../vocabulary.js';
import type { AccessContext } from './context.js';
import { forbidden } from './errors.js';
import { isOrdering, PERSONAL_CRITERION, personalArgsOf, type CriterionDeclaration } from './personal.js';

/** One use of a personal field in a query: a look-up key, a filter, an ordering or a search. */
export interface PersonalUse extends Criterion {
  kind: PersonalKind;
  /** How the refusal names it: "filter by birth date". */
  use: string;
}

/** What a permitted personal query must report back, so that its disclosures reach the access log. */
export interface PersonalQuery {
  /**
   * The caller's scope of a subject type, narrowed to the people the purpose's case opens when the
   * query needs it (a case opens citizens, never a household record): `ids` as a repository filter.
   */
  within<S extends { ids?: readonly number[] | null }>(subject: SubjectType, scope: S): S;
  /** Whether one row found by a look-up is among the people the query may find. */
  admits(subject: SubjectType, rowId: number): boolean;
  /** The people in the answer (empty when none was found): found by the fields used. */
  answered(subjects: readonly PersonalSubject[]): void;
  /** A count was taken over the fields used. */
  counted(): void;
}

const NOTHING_TO_LOG: PersonalQuery = { within: (_subject, scope) => scope, admits: () => true, answered: () => undefined, counted: () => undefined };

/**
 * The one guard of filters, orderings and look-ups on personal fields. It reads, from the schema,
 * the declarations of the arguments this field was actually given (`@PersonalArgs` on the field,
 * `@PersonalCriterion` on input fields) and refuses the query unless the caller could read those
 * fields, since its answers (a count, an order, a hit) would reveal the values. Permitted ones are
 * disclosures and go to the access log: each person in the answer "found by" the fields, each
 * value searched for (keyed hash, never the value) whether or not anyone was found, and counts as
 * counts. A refusal is logged as a denial of the values asked for.
 */
export async function queryBy(ctx: AccessContext, info: GraphQLResolveInfo): Promise<PersonalQuery> {
  const uses = personalUses(info);
  if (uses.length === 0) return NOTHING_TO_LOG;
  const { guard, principal } = ctx.access;
  const declared = (await ctx.access.resolved()).declaredCase;
  const caseStands = declared?.stands ?? true;
  const refused = uses.filter((u) => !mayQueryBy(principal, u.kind, caseStands)).map((u) => u.use);
  if (refused.length) {
    guard.searchedFor(uses, 'DENIED');
    throw forbidden(`Not allowed for this caller (it would reveal personal data they may not read): ${refused.join(', ')}`);
  }
  const narrowed = uses.some((u) => queryNarrowedToCase(principal, u.kind));
  const opened = (subject: SubjectType): readonly number[] | null => (narrowed ? openedByCase(declared, subject) : null);
  const fields = [...new Set(uses.map((u) => u.field))];
  // If the log cannot be written, the whole answer of the query is withheld (see the access-log plugin).
  const path = info.path;
  let released = false;
  const release = () => {
    if (!released) guard.releasedPaths.push(path);
    released = true;
  };
  // A list answers with its page (edges, or pageInfo's "is there any"); a count alone names no one.
  const listsAnswer = !isConnection(info) || selects(info, ['edges', 'pageInfo']);
  return {
    within(subject, scope) {
      const open = opened(subject);
      if (!open) return scope;
      return { ...scope, ids: scope.ids ? scope.ids.filter((id) => open.includes(id)) : [...open] };
    },
    admits(subject, rowId) {
      const open = opened(subject);
      return !open || open.includes(rowId);
    },
    answered(subjects) {
      if (!listsAnswer) return;
      guard.searchedFor(uses, 'FOUND_BY');
      guard.foundBy(subjects, fields);
      release();
    },
    counted() {
      // An ordering does not change a count: only the filters' values were counted over.
      guard.searchedFor(
        uses.filter((u) => u.value != null),
        'COUNTED_BY',
      );
      release();
    },
  };
}

/** The personal uses of the arguments this field was given: filters and look-ups in the order of the arguments and their input fields, then orderings. */
export function personalUses(info: GraphQLResolveInfo): PersonalUse[] {
  const field = info.parentType.getFields()[info.fieldName];
  const node = info.fieldNodes[0];
  if (!field || !node) return [];
  const values = getArgumentValues(field, node, info.variableValues);
  const declared = personalArgsOf(field);
  const uses: PersonalUse[] = [];
  const orderings: PersonalUse[] = [];
  for (const arg of field.args) {
    const value = values[arg.name];
    const declaration = declared[arg.name];
    if (!declaration) {
      inputUses(arg.type, value, uses);
    } else if (isOrdering(declaration)) {
      // Null or absent: the argument's default ordering.
      const ordering = value ?? arg.defaultValue;
      const by = typeof ordering === 'string' ? declaration.values[ordering] : undefined;
      if (by) orderings.push({ kind: by.kind, field: by.reveals, use: `order by ${ordering}` });
    } else if (value != null) {
      uses.push({ kind: declaration.kind, field: declaration.reveals, value: String(value), use: declaration.as });
    }
  }
  return [...uses, ...orderings];
}

const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** The declared input fields given in an argument's value (through lists and nested inputs). */
function inputUses(type: GraphQLInputType, value: unknown, uses: PersonalUse[]): void {
  const bare = getNullableType(type);
  if (value == null) return;
  if (isListType(bare)) {
    for (const item of Array.isArray(value) ? value : [value]) inputUses(bare.ofType, item, uses);
    return;
  }
  if (!isInputObjectType(bare) || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  // Inputs declared with the same wording are one criterion (a range, ward or district).
  const criteria = new Map<string, { declaration: CriterionDeclaration; parts: { declaration: CriterionDeclaration; value: unknown }[] }>();
  for (const input of Object.values(bare.getFields())) {
    const declaration = input.extensions?.[PERSONAL_CRITERION] as CriterionDeclaration | undefined;
    if (!declaration) {
      inputUses(input.type, object[input.name], uses);
      continue;
    }
    const criterion = criteria.get(declaration.as) ?? { declaration, parts: [] };
    criteria.set(declaration.as, criterion);
    criterion.parts.push({ declaration, value: object[input.name] });
  }
  for (const { declaration, parts } of criteria.values()) {
    if (!parts.some((p) => given(p.value))) continue;
    uses.push({ kind: declaration.kind, field: declaration.reveals, value: criterionValue(parts), use: declaration.as });
  }
}

/** The value of a criterion as the access log hashes it: `from..to` for a range, `<label> <value>` for one of several. */
function criterionValue(parts: readonly { declaration: CriterionDeclaration; value: unknown }[]): string {
  const text = (value: unknown) => (given(value) ? String(value) : '');
  const ranged = (end: 'from' | 'to') => text(parts.find((p) => p.declaration.part && 'range' in p.declaration.part && p.declaration.part.range === end)?.value);
  if (parts.some((p) => p.declaration.part && 'range' in p.declaration.part)) return `${ranged('from')}..${ranged('to')}`;
  const first = parts.find((p) => given(p.value))!;
  const part = first.declaration.part;
  return part && 'label' in part ? `${part.label} ${text(first.value)}` : text(first.value);
}

/** Whether the field returns a Relay connection (its answer is in edges, its count in totalCount). */
function isConnection(info: GraphQLResolveInfo): boolean {
  return /Connection!?$/.test(info.returnType.toString());
}

/** Whether the field's selection asks for any of these subfields (through fragments too). */
function selects(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === 'Field') return names.includes(selection.name.value);
      if (selection.kind === 'InlineFragment') return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
