import { GraphQLError } from 'graphql';
import type { PersonalKind } from '../graph/personal/personal.js';
import { holdsPersonalData, type PersonalSubject } from '../graph/personal/subject.js';
import { decidePersonalField, type Decision, type Relation } from './policy.js';
import type { Principal } from './principal.js';

/** What the guard needs to know about the caller's relation to a person (batched lookups). */
export interface RelationLookups {
  /** Row id of the calling citizen, and their household. */
  callerCitizen(): Promise<{ id: number; householdId: number } | null>;
  /** Whether a citizen applied for a dossier handled by the calling officer's agency. */
  isApplicantOfOwnAgency(citizenId: number): Promise<boolean>;
  /** Whether X-Case-Reference names a dossier the caller handles (asked once per request). */
  caseStands(): Promise<boolean>;
}

export type GuardDecision = Decision & { kind: PersonalKind };

export type AccessOutcome = 'GRANTED' | 'MASKED' | 'DENIED';

export interface AccessRecord {
  subject: PersonalSubject;
  /** The outcome for each field read of this subject (the strictest when read several times). */
  fields: Map<string, AccessOutcome>;
}

/** Where in the response a personal value went out: withheld if the access log cannot be written. */
export type ResponsePath = ReadonlyArray<string | number>;

const STRICTNESS: Record<AccessOutcome, number> = { GRANTED: 0, MASKED: 1, DENIED: 2 };

/**
 * The per-request guard of personal fields: asks the policy for each field read, remembers the
 * decision (for masking and for the access log) and refuses denied fields with FORBIDDEN.
 */
export class PersonalDataGuard {
  private readonly decisions = new WeakMap<object, Map<string, GuardDecision>>();
  private readonly relations = new Map<string, Promise<Relation>>();
  /** Every personal read and denial of this request, by subject. */
  readonly accesses = new Map<string, AccessRecord>();
  /** Response paths of every personal value let through (granted or masked). */
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
    const decision: GuardDecision = { ...decidePersonalField(this.principal, kind, await this.relation(subject)), kind };
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

  private record(subject: PersonalSubject, field: string, decision: GuardDecision): void {
    const key = `${subject.type}:${subject.rowId}`;
    const record = this.accesses.get(key) ?? { subject, fields: new Map<string, AccessOutcome>() };
    const outcome: AccessOutcome = decision.access === 'visible' ? 'GRANTED' : decision.access === 'masked' ? 'MASKED' : 'DENIED';
    const before = record.fields.get(field);
    // Read twice in one request (aliases): the entry keeps the strictest outcome seen.
    if (!before || STRICTNESS[outcome] > STRICTNESS[before]) record.fields.set(field, outcome);
    this.accesses.set(key, record);
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

  private caseCheck: Promise<boolean> | undefined;

  /** Whether the declared case stands (always true unless the purpose is DOSSIER_PROCESSING). */
  caseStands(): Promise<boolean> {
    if (this.principal.purpose !== 'DOSSIER_PROCESSING') return Promise.resolve(true);
    this.caseCheck ??= this.lookups.caseStands();
    return this.caseCheck;
  }

  private async computeRelation(subject: PersonalSubject): Promise<Relation> {
    const base = await this.baseRelation(subject);
    return { ...base, caseStands: await this.caseStands() };
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
