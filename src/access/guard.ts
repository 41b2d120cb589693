import type { CriterionHasher } from './criterion-hash.js';
import { AccessDenied } from './errors.js';
import { decidePersonalField, RELATIONS, relationsThatCouldGrant, type Decision, type Relation, type RelationName } from './field-rules.js';
import type { Principal, ResolvedPrincipal } from './principal.js';
import { holdsPersonalData, type PersonalSubject } from './subject.js';
import type { CriterionOutcome, PersonalKind, ReadOutcome, SubjectType } from './vocabulary.js';

/** What the guard asks the context about a person's relation to the caller (batched lookups). */
export interface RelationLookups {
  /** Whether a citizen applied for a dossier handled by the agency. */
  isApplicantOfAgency(agencyId: number, citizenId: number): Promise<boolean>;
  /** Every citizen who applied for a dossier handled by the agency (loaded at most once per request). */
  applicantsOfAgency(agencyId: number): Promise<readonly number[]>;
  /** Whether a citizen is the legal representative of a business (batched). */
  representsBusiness(citizenId: number): Promise<boolean>;
}

/** The one self check: the person is the calling citizen, or the household is the calling citizen's. */
export function isSelf(p: Pick<ResolvedPrincipal, 'citizenId' | 'householdId'>, subject: Pick<PersonalSubject, 'type' | 'rowId'>): boolean {
  if (subject.type === 'CITIZEN') return p.citizenId !== null && p.citizenId === subject.rowId;
  return p.householdId !== null && p.householdId === subject.rowId;
}

/**
 * Every field of a Relation, for the per-request decision key: a Record over `keyof Relation`, so
 * that a field added to Relation cannot be left out of the key (TypeScript asks for it here).
 */
const RELATION_KEY_FIELDS: Record<keyof Relation, true> = { isSelf: true, isApplicantOfOwnAgency: true, caseStands: true, isCaseSubject: true, representsBusiness: true };
const RELATION_FIELDS = Object.keys(RELATION_KEY_FIELDS) as (keyof Relation)[];

/** A relation as a number: each field absent, false or true (0, 1, 2), one base-3 digit per field. */
function relationKey(relation: Relation): number {
  let key = 0;
  for (const field of RELATION_FIELDS) {
    const value = relation[field];
    key = key * 3 + (value === undefined ? 0 : value ? 2 : 1);
  }
  return key;
}

/** The relations a subject of a type can stand in to a caller (the same for every request: kept per type). */
const RELATIONS_OF = new Map<SubjectType, ReadonlySet<RelationName>>();
function relationsOf(type: SubjectType): ReadonlySet<RelationName> {
  let names = RELATIONS_OF.get(type);
  if (!names) RELATIONS_OF.set(type, (names = new Set((Object.keys(RELATIONS) as RelationName[]).filter((name) => RELATIONS[name].subjects.includes(type)))));
  return names;
}

const subjectKey = (subject: Pick<PersonalSubject, 'type' | 'rowId'>): string => `${subject.type}:${subject.rowId}`;

export type GuardDecision = Decision & { kind: PersonalKind };

/** A person read in this request: their relation to the caller (interned, or still being looked up) and their record. */
interface SubjectState {
  subject: PersonalSubject;
  key: string;
  relation: Relation | Promise<Relation>;
  record: AccessRecord | undefined;
}

export interface AccessRecord {
  subject: PersonalSubject;
  /** The outcome for each field read of this subject (the strictest when read several times). */
  fields: Map<string, ReadOutcome>;
  /** The fields this subject was found by (look-up keys, filters, orderings, searches). */
  foundBy: Set<string>;
}

/** A searched value: its field and keyed hash, and what the request did with it. */
export interface CriterionRecord {
  /** `<field>:<keyed hash>`: the value itself never reaches the log. */
  subjectId: string;
  outcome: CriterionOutcome;
  /** Every personal field the query used together with this one. */
  fields: Set<string>;
}

/** One personal criterion of a query: the field it reveals, and the value asked for (none for an ordering). */
export interface Criterion {
  field: string;
  value?: string | null;
}

/** Where in the response a personal value went out: withheld if the access log cannot be written. */
export type ResponsePath = ReadonlyArray<string | number>;

/** A response path as the executor links it (graphql-js's Path): the last key first. */
export interface LinkedPath {
  readonly prev: LinkedPath | undefined;
  readonly key: string | number;
}

/** A response path as the guard keeps it: as an array, or linked (made an array only when needed). */
export type ReleasedPath = ResponsePath | LinkedPath;

/** The path as an array of keys, from the root. */
export function pathKeys(path: ReleasedPath): ResponsePath {
  if (Array.isArray(path)) return path as ResponsePath;
  const keys: Array<string | number> = [];
  for (let at: LinkedPath | undefined = path as LinkedPath; at; at = at.prev) keys.push(at.key);
  return keys.reverse();
}

/** What the guard works with: the request's principal, resolved once, and the context's lookups. */
export interface GuardDeps {
  principal: Principal;
  resolved(): Promise<ResolvedPrincipal>;
  lookups: RelationLookups;
  criteria: CriterionHasher;
}

const STRICTNESS: Record<ReadOutcome, number> = { GRANTED: 0, MASKED: 1, DENIED: 2 };

/**
 * The per-request guard of personal fields: asks the field rules for each field read, remembers
 * the decision (for masking and for the access log) and refuses denied fields (AccessDenied). It
 * also keeps what queries on personal fields disclosed: who was found by which fields, and the
 * values searched for (hashed), found or not.
 */
export class PersonalDataGuard {
  /** Each person read or found in this request, by subject key. */
  private readonly subjects = new Map<string, SubjectState>();
  /** The person of each object checked (its subject asked once per object, not per field). */
  private readonly roots = new WeakMap<object, SubjectState>();
  /** Masked decisions by object and field, for the masking (the only decisions read back). */
  private readonly masked = new WeakMap<object, Map<string, GuardDecision>>();
  /** Every personal read and denial of this request, by subject. */
  readonly accesses = new Map<string, AccessRecord>();
  /** Every searched value of this request, by outcome and hash. */
  readonly criteria = new Map<string, CriterionRecord>();
  /**
   * Response paths of every personal value let through (granted or masked), and of answers to
   * personal queries (pathKeys turns one into keys: only needed when the log cannot be written).
   */
  readonly releasedPaths: ReleasedPath[] = [];

  /**
   * Relations interned by value (relationKey): a page of people stands in a handful of distinct
   * relations to the caller, so the rules are walked once per request for each relation and kind,
   * and a value read finds its decision by the relation object, with no key to build.
   */
  private readonly interned = new Map<number, Relation>();
  private readonly decided = new Map<Relation, Map<PersonalKind, GuardDecision>>();
  private readonly granting = new Map<string, RelationName[]>();
  /** The resolved principal once known (relations needing no look-up are then computed at once). */
  private resolvedPrincipal: ResolvedPrincipal | undefined;

  constructor(private readonly deps: GuardDeps) {}

  /** The one object for relations of equal fields. */
  private intern(relation: Relation): Relation {
    const key = relationKey(relation);
    const known = this.interned.get(key);
    if (known) return known;
    this.interned.set(key, relation);
    return relation;
  }

  /** `relation` is interned. */
  private decide(kind: PersonalKind, relation: Relation): GuardDecision {
    let byKind = this.decided.get(relation);
    if (!byKind) this.decided.set(relation, (byKind = new Map()));
    let decision = byKind.get(kind);
    if (!decision) byKind.set(kind, (decision = { ...decidePersonalField(this.deps.principal, kind, relation), kind }));
    return decision;
  }

  private couldGrant(role: Principal['role'], kind: PersonalKind, subject: SubjectType): RelationName[] {
    const key = `${kind}|${subject}`;
    let names = this.granting.get(key);
    if (!names) this.granting.set(key, (names = relationsThatCouldGrant(role, kind, subject)));
    return names;
  }

  /** The decision for a field of this object, where it was masked (undefined otherwise: the value leaves as read). */
  decisionFor(root: object, field: string): GuardDecision | undefined {
    return this.masked.get(root)?.get(field);
  }

  /**
   * May this personal field of this object be read? Throws AccessDenied when not. Answers at once
   * (no promise) once the subject's relation is known, which it is for every value read after
   * the first of each person: a page of people costs a look-up per person, not a promise per value.
   */
  check(root: unknown, typeName: string, field: string, kind: PersonalKind, path: ReleasedPath): true | Promise<true> {
    const state = this.stateOf(root, typeName, field);
    const relation = state.relation;
    if (relation instanceof Promise) return relation.then((known) => this.checkWith(root as object, state, known, typeName, field, kind, path));
    return this.checkWith(root as object, state, relation, typeName, field, kind, path);
  }

  /** The person an object holds the data of: asked of the object once, then known by the object. */
  private stateOf(root: unknown, typeName: string, field: string): SubjectState {
    const known = typeof root === 'object' && root !== null ? this.roots.get(root) : undefined;
    if (known) return known;
    if (!holdsPersonalData(root)) throw new Error(`${typeName}.${field} is marked personal but its object names no subject`);
    const state = this.subjectOf(root.personalSubject());
    this.roots.set(root, state);
    return state;
  }

  private checkWith(root: object, state: SubjectState, relation: Relation, typeName: string, field: string, kind: PersonalKind, path: ReleasedPath): true | Promise<true> {
    const decision = this.decide(kind, relation);
    const { subject } = state;
    // A relation looked up only when it could turn a denial (is the person a business's representative?).
    if (decision.access === 'denied' && subject.type === 'CITIZEN' && this.couldGrant(this.deps.principal.role, kind, subject.type).includes('businessRepresentative')) {
      return this.deps.lookups.representsBusiness(subject.rowId).then((representsBusiness) =>
        this.settle(root, state, this.decide(kind, this.intern({ ...relation, representsBusiness })), typeName, field, path),
      );
    }
    return this.settle(root, state, decision, typeName, field, path);
  }

  private settle(root: object, state: SubjectState, decision: GuardDecision, typeName: string, field: string, path: ReleasedPath): true {
    if (decision.access === 'masked') {
      let forRoot = this.masked.get(root);
      if (!forRoot) this.masked.set(root, (forRoot = new Map<string, GuardDecision>()));
      forRoot.set(field, decision);
    }
    this.record((state.record ??= this.recordOf(state.subject, state.key)), field, decision);
    if (decision.access === 'denied') throw new AccessDenied(`${typeName}.${field}: ${decision.reason}`);
    this.releasedPaths.push(path);
    return true;
  }

  /** The people in a query's answer were found by these personal fields. */
  foundBy(subjects: readonly PersonalSubject[], fields: readonly string[]): void {
    for (const subject of subjects) {
      const record = this.recordOf(subject);
      for (const field of fields) record.foundBy.add(field);
    }
  }

  /** The values a query searched for, hashed, with what became of the search. */
  searchedFor(criteria: readonly Criterion[], outcome: CriterionOutcome): void {
    const fields = criteria.map((c) => c.field);
    for (const { field, value } of criteria) {
      if (value == null || value === '') continue;
      const subjectId = this.deps.criteria.subjectId(field, value);
      const key = `${outcome}|${subjectId}`;
      const record = this.criteria.get(key) ?? { subjectId, outcome, fields: new Set<string>() };
      for (const f of fields) record.fields.add(f);
      this.criteria.set(key, record);
    }
  }

  private recordOf(subject: PersonalSubject, key = subjectKey(subject)): AccessRecord {
    let record = this.accesses.get(key);
    if (!record) {
      record = { subject, fields: new Map<string, ReadOutcome>(), foundBy: new Set<string>() };
      this.accesses.set(key, record);
    }
    return record;
  }

  private record(record: AccessRecord, field: string, decision: GuardDecision): void {
    const outcome: ReadOutcome = decision.access === 'visible' ? 'GRANTED' : decision.access === 'masked' ? 'MASKED' : 'DENIED';
    const before = record.fields.get(field);
    // Read twice in one request (aliases): the entry keeps the strictest outcome seen.
    if (!before || STRICTNESS[outcome] > STRICTNESS[before]) record.fields.set(field, outcome);
  }

  /** The state of a person in this request: their relation to the caller, known or being looked up. */
  private subjectOf(subject: PersonalSubject): SubjectState {
    const key = subjectKey(subject);
    let state = this.subjects.get(key);
    if (!state) {
      const relation = this.computeRelation(subject);
      const made: SubjectState = { subject, key, relation, record: undefined };
      // Known from now on without a promise to wait for.
      if (relation instanceof Promise) void relation.then((known) => (made.relation = known), () => undefined);
      this.subjects.set(key, (state = made));
    }
    return state;
  }

  /** The relation at once when the principal is resolved and no look-up is needed; else a promise of it. */
  private computeRelation(subject: PersonalSubject): Relation | Promise<Relation> {
    const resolved = this.resolvedPrincipal;
    if (!resolved) {
      return this.deps.resolved().then((principal) => {
        this.resolvedPrincipal = principal;
        return this.computeRelation(subject);
      });
    }
    const possible = relationsOf(subject.type);
    if (possible.has('applicantOfOwnAgency') && resolved.agencyId !== null) {
      return this.deps.lookups.isApplicantOfAgency(resolved.agencyId, subject.rowId).then((applicant) => this.relationWith(resolved, subject, possible, applicant));
    }
    return this.relationWith(resolved, subject, possible, false);
  }

  private relationWith(resolved: ResolvedPrincipal, subject: PersonalSubject, possible: ReadonlySet<RelationName>, applicant: boolean): Relation {
    const relation: Relation = { isSelf: possible.has('self') && isSelf(resolved, subject), isApplicantOfOwnAgency: applicant };
    const declared = resolved.declaredCase;
    if (!declared) return this.intern(relation);
    return this.intern({ ...relation, caseStands: declared.stands, isCaseSubject: possible.has('caseSubject') && declared.citizenIds.includes(subject.rowId) });
  }
}
