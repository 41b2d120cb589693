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

/** The relations a subject of a type can stand in to a caller. */
function relationsOf(type: SubjectType): Set<RelationName> {
  return new Set((Object.keys(RELATIONS) as RelationName[]).filter((name) => RELATIONS[name].subjects.includes(type)));
}

export type GuardDecision = Decision & { kind: PersonalKind };

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
  private readonly decisions = new WeakMap<object, Map<string, GuardDecision>>();
  private readonly relations = new Map<string, Promise<Relation>>();
  /** Every personal read and denial of this request, by subject. */
  readonly accesses = new Map<string, AccessRecord>();
  /** Every searched value of this request, by outcome and hash. */
  readonly criteria = new Map<string, CriterionRecord>();
  /** Response paths of every personal value let through (granted or masked), and of answers to personal queries. */
  readonly releasedPaths: ResponsePath[] = [];

  /** Decisions by kind and relation: the rules are walked once per request for each, not per value read. */
  private readonly decided = new Map<string, GuardDecision>();
  private readonly granting = new Map<string, RelationName[]>();

  constructor(private readonly deps: GuardDeps) {}

  private decide(kind: PersonalKind, relation: Relation): GuardDecision {
    const key = [kind, ...RELATION_FIELDS.map((field) => String(relation[field]))].join('|');
    let decision = this.decided.get(key);
    if (!decision) {
      decision = { ...decidePersonalField(this.deps.principal, kind, relation), kind };
      this.decided.set(key, decision);
    }
    return decision;
  }

  private couldGrant(role: Principal['role'], kind: PersonalKind, subject: SubjectType): RelationName[] {
    const key = `${kind}|${subject}`;
    let names = this.granting.get(key);
    if (!names) this.granting.set(key, (names = relationsThatCouldGrant(role, kind, subject)));
    return names;
  }

  decisionFor(root: object, field: string): GuardDecision | undefined {
    return this.decisions.get(root)?.get(field);
  }

  /** May this personal field of this object be read? Throws AccessDenied when not. */
  async check(root: unknown, typeName: string, field: string, kind: PersonalKind, path: ResponsePath): Promise<true> {
    if (!holdsPersonalData(root)) throw new Error(`${typeName}.${field} is marked personal but its object names no subject`);
    const subject = root.personalSubject();
    const { principal } = this.deps;
    let relation = await this.relation(subject);
    let decision = this.decide(kind, relation);
    // A relation looked up only when it could turn a denial (is the person a business's representative?).
    if (decision.access === 'denied' && subject.type === 'CITIZEN' && this.couldGrant(principal.role, kind, subject.type).includes('businessRepresentative')) {
      relation = { ...relation, representsBusiness: await this.deps.lookups.representsBusiness(subject.rowId) };
      decision = this.decide(kind, relation);
    }
    const forRoot = this.decisions.get(root) ?? new Map<string, GuardDecision>();
    forRoot.set(field, decision);
    this.decisions.set(root, forRoot);
    this.record(subject, field, decision);
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

  private recordOf(subject: PersonalSubject): AccessRecord {
    const key = `${subject.type}:${subject.rowId}`;
    let record = this.accesses.get(key);
    if (!record) {
      record = { subject, fields: new Map<string, ReadOutcome>(), foundBy: new Set<string>() };
      this.accesses.set(key, record);
    }
    return record;
  }

  private record(subject: PersonalSubject, field: string, decision: GuardDecision): void {
    const record = this.recordOf(subject);
    const outcome: ReadOutcome = decision.access === 'visible' ? 'GRANTED' : decision.access === 'masked' ? 'MASKED' : 'DENIED';
    const before = record.fields.get(field);
    // Read twice in one request (aliases): the entry keeps the strictest outcome seen.
    if (!before || STRICTNESS[outcome] > STRICTNESS[before]) record.fields.set(field, outcome);
  }

  private relation(subject: PersonalSubject): Promise<Relation> {
    const key = `${subject.type}:${subject.rowId}`;
    let relation = this.relations.get(key);
    if (!relation) {
      relation = this.computeRelation(subject);
      this.relations.set(key, relation);
    }
    return relation;
  }

  private async computeRelation(subject: PersonalSubject): Promise<Relation> {
    const resolved = await this.deps.resolved();
    const possible = relationsOf(subject.type);
    const applicant =
      possible.has('applicantOfOwnAgency') && resolved.agencyId !== null ? await this.deps.lookups.isApplicantOfAgency(resolved.agencyId, subject.rowId) : false;
    const relation: Relation = { isSelf: possible.has('self') && isSelf(resolved, subject), isApplicantOfOwnAgency: applicant };
    const declared = resolved.declaredCase;
    if (!declared) return relation;
    return { ...relation, caseStands: declared.stands, isCaseSubject: possible.has('caseSubject') && declared.citizenIds.includes(subject.rowId) };
  }
}
