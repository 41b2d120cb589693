import { GraphQLError } from 'graphql';
import { criterionSubjectId } from './criterion-hash.js';
import type { PersonalKind } from './graphql/personal.js';
import { holdsPersonalData, type PersonalSubject } from './subject.js';
import { decidePersonalField, purposeRule, type Decision, type Relation } from './policy.js';
import type { Principal } from './principal.js';

/** The case X-Case-Reference names, as the guard needs it. */
export interface DeclaredCase {
  /** The reference names a dossier the caller handles (an admin: any dossier). */
  stands: boolean;
  /** Citizen row ids the case opens: its applicant, or a business applicant's legal representative. */
  citizenIds: readonly number[];
}

/** What the guard needs to know about the caller's relation to a person (batched lookups). */
export interface RelationLookups {
  /** Row id of the calling citizen, and their household. */
  callerCitizen(): Promise<{ id: number; householdId: number } | null>;
  /** Whether a citizen applied for a dossier handled by the calling officer's agency. */
  isApplicantOfOwnAgency(citizenId: number): Promise<boolean>;
  /** The dossier X-Case-Reference names (asked once per request). */
  declaredCase(): Promise<DeclaredCase>;
  /** Whether a citizen is the legal representative of a business (batched). */
  representsBusiness(citizenId: number): Promise<boolean>;
}

export type GuardDecision = Decision & { kind: PersonalKind };

export type AccessOutcome = 'GRANTED' | 'MASKED' | 'DENIED' | 'FOUND_BY' | 'COUNTED_BY';
type ReadOutcome = 'GRANTED' | 'MASKED' | 'DENIED';

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
  outcome: 'FOUND_BY' | 'COUNTED_BY' | 'DENIED';
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

const STRICTNESS: Record<ReadOutcome, number> = { GRANTED: 0, MASKED: 1, DENIED: 2 };

/**
 * The per-request guard of personal fields: asks the policy for each field read, remembers the
 * decision (for masking and for the access log) and refuses denied fields with FORBIDDEN. It also
 * keeps what queries on personal fields disclosed: who was found by which fields, and the values
 * searched for (hashed), found or not.
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

  constructor(
    private readonly principal: Principal,
    private readonly lookups: RelationLookups,
  ) {}

  decisionFor(root: object, field: string): GuardDecision | undefined {
    return this.decisions.get(root)?.get(field);
  }

  /** The auth checker's question for a field marked @Personal(kind): may it be read? */
  async check(root: unknown, typeName: string, field: string, kind: PersonalKind, path: ResponsePath): Promise<boolean> {
    if (!holdsPersonalData(root)) throw new Error(`${typeName}.${field} is marked personal but its object names no subject`);
    const subject = root.personalSubject();
    let relation = await this.relation(subject);
    let decided = decidePersonalField(this.principal, kind, relation);
    // Whether the person represents a business matters only for a name that would be denied: asked then only.
    if (decided.access === 'denied' && kind === 'NAME' && subject.type === 'CITIZEN') {
      relation = { ...relation, representsBusiness: await this.lookups.representsBusiness(subject.rowId) };
      decided = decidePersonalField(this.principal, kind, relation);
    }
    const decision: GuardDecision = { ...decided, kind };
    const forRoot = this.decisions.get(root) ?? new Map<string, GuardDecision>();
    forRoot.set(field, decision);
    this.decisions.set(root, forRoot);
    this.record(subject, field, decision);
    if (decision.access === 'denied') {
      throw new GraphQLError(`${typeName}.${field}: ${decision.reason}`, { extensions: { code: 'FORBIDDEN' } });
    }
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
  searchedFor(criteria: readonly Criterion[], outcome: CriterionRecord['outcome']): void {
    const fields = criteria.map((c) => c.field);
    for (const { field, value } of criteria) {
      if (value == null || value === '') continue;
      const subjectId = criterionSubjectId(field, value);
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

  private caseCheck: Promise<DeclaredCase> | undefined;

  /**
   * The case the caller's purpose is bound to; `undefined` when the purpose binds to no case
   * (then the reference, if any, is only logged).
   */
  declaredCase(): Promise<DeclaredCase | undefined> {
    if (purposeRule(this.principal)?.reference !== 'dossier') return Promise.resolve(undefined);
    this.caseCheck ??= this.lookups.declaredCase();
    return this.caseCheck;
  }

  /** Whether the declared case stands (always true unless the purpose needs a dossier reference). */
  async caseStands(): Promise<boolean> {
    return (await this.declaredCase())?.stands ?? true;
  }

  private async computeRelation(subject: PersonalSubject): Promise<Relation> {
    const [base, declared] = await Promise.all([this.baseRelation(subject), this.declaredCase()]);
    if (!declared) return base;
    return { ...base, caseStands: declared.stands, isCaseSubject: subject.type === 'CITIZEN' && declared.citizenIds.includes(subject.rowId) };
  }

  private async baseRelation(subject: PersonalSubject): Promise<Relation> {
    const { role, citizenNationalId } = this.principal;
    if (role === 'citizen') {
      if (subject.type === 'CITIZEN') return { isSelf: subject.nationalId === citizenNationalId, isApplicantOfOwnAgency: false };
      const caller = await this.lookups.callerCitizen();
      return { isSelf: caller?.householdId === subject.rowId, isApplicantOfOwnAgency: false };
    }
    if (role === 'officer' && subject.type === 'CITIZEN') {
      return { isSelf: false, isApplicantOfOwnAgency: await this.lookups.isApplicantOfOwnAgency(subject.rowId) };
    }
    // Officers are not given household records: applicants are citizens, not households.
    return { isSelf: false, isApplicantOfOwnAgency: false };
  }
}
