import { createCriterionHasher, DEVELOPMENT_CRITERION_SECRET, type CriterionHasher } from './criterion-hash.js';
import { isSelf, PersonalDataGuard, type RelationLookups } from './guard.js';
import { resolvePrincipal, type Principal, type PrincipalLookups, type ResolvedPrincipal } from './principal.js';
import { DEFAULT_MINIMUM_CELL_SIZE, needsResolution, rowScope, scopeFor, scopeRule, statisticsProtection, type Resource, type ScopeOf } from './row-scopes.js';
import type { PersonalSubject } from './subject.js';

/** The access package's configuration, from the gateway's (one object per gateway, no module state). */
export interface AccessOptions {
  /** Keyed hashes of searched values in the access log (AUDIT_HASH_KEY, else CURSOR_SECRET). */
  criteria: CriterionHasher;
  /** k of the statistics' small-cell protection (STATS_MIN_CELL_SIZE). */
  minimumCellSize: number;
}

/** The development configuration's options (a gateway passes its own). */
export const DEVELOPMENT_ACCESS_OPTIONS: AccessOptions = Object.freeze({
  criteria: createCriterionHasher(DEVELOPMENT_CRITERION_SECRET),
  minimumCellSize: DEFAULT_MINIMUM_CELL_SIZE,
});

export function accessOptions(config: { auditHashSecret: string; minimumCellSize: number }): AccessOptions {
  return { criteria: createCriterionHasher(config.auditHashSecret), minimumCellSize: config.minimumCellSize };
}

/** Everything the access package asks the request's context (batched loaders of the sources). */
export type AccessLookups = PrincipalLookups & RelationLookups;

const UNRESOLVED = { agencyId: null, citizenId: null, householdId: null } as const;

/**
 * The access decisions of one request: the principal resolved once (on first need), row scopes
 * per resource, the self check, and the guard of personal fields. Built by the context, fresh for
 * each request.
 */
export class RequestAccess {
  readonly guard: PersonalDataGuard;
  private resolution: Promise<ResolvedPrincipal> | undefined;

  constructor(
    readonly principal: Principal,
    readonly lookups: AccessLookups,
    readonly options: AccessOptions = DEVELOPMENT_ACCESS_OPTIONS,
  ) {
    this.guard = new PersonalDataGuard({ principal, resolved: () => this.resolved(), lookups, criteria: options.criteria });
  }

  /** The principal with its row ids: resolved once per request, when first needed. */
  resolved(): Promise<ResolvedPrincipal> {
    this.resolution ??= resolvePrincipal(this.principal, this.lookups);
    return this.resolution;
  }

  /** The caller's row scope of a resource (resolving the principal only when the rule needs row ids). */
  async scope<R extends Resource>(resource: R): Promise<ScopeOf<R>> {
    const rule = scopeRule(resource, this.principal.role);
    if (!needsResolution(rule)) return scopeFor(rule, UNRESOLVED) as ScopeOf<R>;
    return rowScope(resource, await this.resolved());
  }

  /** Whether the caller's role may find every row of the resource. */
  seesAll(resource: Resource): boolean {
    return scopeRule(resource, this.principal.role).kind === 'all';
  }

  /** Whether the caller's role may find nothing of the resource, whoever they are. */
  excluded(resource: Resource): boolean {
    return scopeRule(resource, this.principal.role).kind === 'none';
  }

  /** Whether one citizen (by row id) is in the caller's scope of a resource of people: batched checks. */
  async admitsCitizen(resource: 'citizens' | 'accessLog', citizenId: number): Promise<boolean> {
    const scope = await this.scope(resource);
    switch (scope.kind) {
      case 'all':
        return true;
      case 'none':
        return false;
      case 'citizen':
        return isSelf({ citizenId: scope.citizenId, householdId: null }, { type: 'CITIZEN', rowId: citizenId });
      case 'applicantsOfAgency':
        return this.lookups.isApplicantOfAgency(scope.agencyId, citizenId);
    }
  }

  /** Whether a household (by row id) is in the caller's scope. */
  async admitsHousehold(householdId: number): Promise<boolean> {
    const scope = await this.scope('households');
    if (scope.kind === 'household') return isSelf({ citizenId: null, householdId: scope.householdId }, { type: 'HOUSEHOLD', rowId: householdId });
    return scope.kind === 'all';
  }

  /** Whether the person is the calling citizen (or their household): the one self check. */
  async isSelf(subject: Pick<PersonalSubject, 'type' | 'rowId'>): Promise<boolean> {
    return isSelf(await this.resolved(), subject);
  }

  /** Small-cell protection of the caller's dossier statistics; null: every figure. */
  statisticsProtection(): { minimumCell: number; wholeDays: true } | null {
    return statisticsProtection(this.principal, this.options.minimumCellSize);
  }

  /** The subject id of a searched value, as the access log stores it (keyed hash). */
  criterionSubjectId(field: string, value: string): string {
    return this.options.criteria.subjectId(field, value);
  }
}
