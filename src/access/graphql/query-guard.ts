import { responsePathAsArray, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Criterion } from '../guard.js';
import { mayQueryBy, queryNarrowedToCase } from '../policy.js';
import type { GraphContext } from '../../modules/context.js';
import { gatewayError } from '../../platform/errors.js';
import type { PersonalKind } from './personal.js';
import type { PersonalSubject } from '../subject.js';

/** One use of a personal field in a query: a look-up key, a filter, an ordering or a search. */
export interface PersonalUse extends Criterion {
  kind: PersonalKind;
  /** How the refusal names it: "filter by birth date". */
  use: string;
}

/** What a permitted personal query must report back, so that its disclosures reach the access log. */
export interface PersonalQuery {
  /** Citizen row ids the query may search among (the purpose's case), or null: the caller's whole scope. */
  narrowTo: readonly number[] | null;
  /** The people in the answer (empty when none was found): found by the fields used. */
  answered(subjects: readonly PersonalSubject[]): void;
  /** A count was taken over the fields used. */
  counted(): void;
}

const NOTHING_TO_LOG: PersonalQuery = { narrowTo: null, answered: () => undefined, counted: () => undefined };

/**
 * Filters, orderings and lookups on personal fields: refused unless the caller could read those
 * fields, since their answers (a count, an order, a hit) would reveal the values. Permitted ones
 * are disclosures and go to the access log: each person in the answer "found by" the fields, each
 * value searched for (keyed hash, never the value) whether or not anyone was found, and counts
 * as counts. A refusal is logged as a denial of the values asked for.
 */
export async function queryBy(ctx: GraphContext, uses: readonly PersonalUse[], info: GraphQLResolveInfo): Promise<PersonalQuery> {
  if (uses.length === 0) return NOTHING_TO_LOG;
  const { guard, principal } = ctx;
  const caseStands = await guard.caseStands();
  const refused = uses.filter((u) => !mayQueryBy(principal, u.kind, caseStands)).map((u) => u.use);
  if (refused.length) {
    guard.searchedFor(uses, 'DENIED');
    throw gatewayError('FORBIDDEN', `Not allowed for this caller (it would reveal personal data they may not read): ${refused.join(', ')}`);
  }
  const narrowed = uses.some((u) => queryNarrowedToCase(principal, u.kind));
  const narrowTo = narrowed ? ((await guard.declaredCase())?.citizenIds ?? []) : null;
  const fields = [...new Set(uses.map((u) => u.field))];
  // If the log cannot be written, the whole answer of the query is withheld (see the access-log plugin).
  const path = responsePathAsArray(info.path);
  let released = false;
  const release = () => {
    if (!released) guard.releasedPaths.push(path);
    released = true;
  };
  // A list answers with its page (edges, or pageInfo's "is there any"); a count alone names no one.
  const listsAnswer = !isConnection(info) || selects(info, ['edges', 'pageInfo']);
  return {
    narrowTo,
    answered(subjects) {
      if (!listsAnswer) return;
      guard.searchedFor(uses, 'FOUND_BY');
      guard.foundBy(subjects, fields);
      release();
    },
    counted() {
      // An ordering does not change a count: only the filters' values were counted over.
      guard.searchedFor(uses.filter((u) => u.value != null), 'COUNTED_BY');
      release();
    },
  };
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
