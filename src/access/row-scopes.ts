import type { ResolvedPrincipal } from './principal.js';
import type { Role } from './vocabulary.js';

/**
 * Row scopes: which rows of a resource a caller may find at all (list, count, look-up, node,
 * relation). Each module turns a scope into its repository filter (`src/modules/<source>/scope.ts`)
 * and applies it in SQL, so that counts, pages and look-ups never reveal rows outside it: a hidden
 * row and a missing one look alike. The fields of a person found are still decided one by one
 * (field-rules.ts).
 */

/** A rule of the table below, per resource and role. */
export type ScopeRuleKind =
  /** every row */
  | 'all'
  /** no row */
  | 'none'
  /** the calling citizen's own rows */
  | 'self'
  /** the calling citizen's own household */
  | 'ownHousehold'
  /** the rows of the calling officer's agency */
  | 'ownAgency'
  /** the citizens who applied for a dossier the calling officer's agency handles */
  | 'applicantsOfOwnAgency'
  /** the public rows */
  | 'public'
  /** the public rows, and those of the calling officer's agency */
  | 'publicOrOwnAgency';

export interface ScopeRule {
  kind: ScopeRuleKind;
  /** A remark in the policy table: "no (aggregates)". */
  note?: string;
}

/** The scope of one request for one resource: the rule with the principal's row ids in it. */
export type RowScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'citizen'; citizenId: number }
  | { kind: 'household'; householdId: number }
  | { kind: 'agency'; agencyId: number }
  | { kind: 'applicantsOfAgency'; agencyId: number }
  | { kind: 'public'; orAgencyId: number | null };

/** The rule kinds a resource may use, and so the scopes its module must translate. */
interface ResourceScopes {
  dossiers: 'all' | 'none' | 'self' | 'ownAgency';
  dossierStatistics: 'all' | 'none' | 'ownAgency';
  dossierStatus: 'all' | 'none';
  results: 'all' | 'none' | 'self' | 'ownAgency';
  citizens: 'all' | 'none' | 'self' | 'applicantsOfOwnAgency';
  households: 'all' | 'none' | 'ownHousehold';
  businesses: 'all';
  datasets: 'all' | 'public' | 'publicOrOwnAgency';
  indicators: 'all' | 'public' | 'publicOrOwnAgency';
  accessLog: 'all' | 'none' | 'self';
  resultVerification: 'all';
}
export type Resource = keyof ResourceScopes;

/** What each rule kind resolves to. */
interface ScopeOfRule {
  all: { kind: 'all' };
  none: { kind: 'none' };
  self: { kind: 'citizen'; citizenId: number } | { kind: 'none' };
  ownHousehold: { kind: 'household'; householdId: number } | { kind: 'none' };
  ownAgency: { kind: 'agency'; agencyId: number } | { kind: 'none' };
  applicantsOfOwnAgency: { kind: 'applicantsOfAgency'; agencyId: number } | { kind: 'none' };
  public: { kind: 'public'; orAgencyId: null };
  publicOrOwnAgency: { kind: 'public'; orAgencyId: number | null };
}

/** The scopes a resource's module translates into its repository filter. */
export type ScopeOf<R extends Resource> = ScopeOfRule[ResourceScopes[R]];

type RuleTable<R extends Resource> = { readonly [role in Role]: { kind: ResourceScopes[R]; note?: string } };

const all = { kind: 'all' } as const;
const none = { kind: 'none' } as const;

/**
 * Datasets and indicators: one rule for "public, or the own agency's" resources. Public ones for
 * everyone; restricted datasets and internal indicators for analysts, admins and the publishing
 * (owning) agency.
 */
const PUBLIC_OR_OWN_AGENCY: { readonly [role in Role]: { kind: 'all' | 'public' | 'publicOrOwnAgency' } } = {
  public: { kind: 'public' },
  citizen: { kind: 'public' },
  officer: { kind: 'publicOrOwnAgency' },
  analyst: all,
  auditor: { kind: 'public' },
  admin: all,
};

/** The row scopes, per resource and role. */
export const ROW_SCOPES: { readonly [R in Resource]: RuleTable<R> } = {
  /** Dossiers in full: own for citizens, the agency's for officers, all for admins; analysts see aggregates. */
  dossiers: { public: none, citizen: { kind: 'self' }, officer: { kind: 'ownAgency' }, analyst: { kind: 'none', note: 'aggregates' }, auditor: none, admin: all },
  /** Dossier aggregates (IOC dashboards): analysts and admins all, officers their agency's. */
  dossierStatistics: { public: none, citizen: none, officer: { kind: 'ownAgency' }, analyst: all, auditor: none, admin: all },
  /** The public dossier status look-up by code (status and dates only): anyone but auditors. */
  dossierStatus: { public: all, citizen: all, officer: all, analyst: all, auditor: none, admin: all },
  /**
   * Procedure results in full (the results repository): a citizen the results they hold (not a
   * represented business's, as with dossiers), an officer those issued by the own agency, an admin
   * all. The public verification by number and document hash needs no rule: it discloses no holder.
   */
  results: { public: none, citizen: { kind: 'self' }, officer: { kind: 'ownAgency' }, analyst: { kind: 'none', note: 'aggregates' }, auditor: none, admin: all },
  /** Which citizens a caller can find by listing or look-up. */
  citizens: { public: none, citizen: { kind: 'self' }, officer: { kind: 'applicantsOfOwnAgency' }, analyst: none, auditor: none, admin: all },
  /** Households: their members (citizens) and admins. */
  households: { public: none, citizen: { kind: 'ownHousehold' }, officer: none, analyst: none, auditor: none, admin: all },
  /** The business register is public: its repositories take no scope. */
  businesses: { public: all, citizen: all, officer: all, analyst: all, auditor: all, admin: all },
  datasets: PUBLIC_OR_OWN_AGENCY,
  indicators: PUBLIC_OR_OWN_AGENCY,
  /** The access log: auditors and admins all; a citizen the entries about themselves. */
  accessLog: { public: none, citizen: { kind: 'self' }, officer: none, analyst: none, auditor: all, admin: all },
  /** The public verification of a result by number and document hash (valid, revoked, expired, unknown): it discloses no holder. */
  resultVerification: { public: all, citizen: all, officer: all, analyst: all, auditor: all, admin: all },
};

/**
 * The resources shown in the policy table as a row of their own, after the field rows
 * (policy-table.ts renders them in this order): the row's name, its label, and the words that
 * replace a rule kind's default in its cells.
 */
export interface ScopeTableRow {
  id: string;
  label: string;
  words?: Partial<Record<ScopeRuleKind, string>>;
}
export const SCOPE_TABLE_ROWS: { readonly [R in Resource]?: ScopeTableRow } = {
  results: { id: 'results', label: 'procedure results in full', words: { ownAgency: 'issued by A' } },
  resultVerification: { id: 'result verification', label: 'result verification by number and document hash' },
  accessLog: { id: 'access log', label: 'access log', words: { self: 'entries about self' } },
};

/** The rule of a resource for a role. */
export function scopeRule<R extends Resource>(resource: R, role: Role): ScopeRule & { kind: ResourceScopes[R] } {
  return ROW_SCOPES[resource][role];
}

/** Whether the rule needs the principal resolved (row ids); `all`, `none` and `public` do not. */
export function needsResolution(rule: ScopeRule): boolean {
  return rule.kind !== 'all' && rule.kind !== 'none' && rule.kind !== 'public';
}

/** The scope of a resource for a resolved principal. */
export function rowScope<R extends Resource>(resource: R, p: Pick<ResolvedPrincipal, 'role' | 'agencyId' | 'citizenId' | 'householdId'>): ScopeOf<R> {
  return scopeFor(scopeRule(resource, p.role), p) as ScopeOf<R>;
}

export function scopeFor(rule: ScopeRule, p: Pick<ResolvedPrincipal, 'agencyId' | 'citizenId' | 'householdId'>): RowScope {
  switch (rule.kind) {
    case 'all':
      return all;
    case 'none':
      return none;
    case 'self':
      return p.citizenId === null ? none : { kind: 'citizen', citizenId: p.citizenId };
    case 'ownHousehold':
      return p.householdId === null ? none : { kind: 'household', householdId: p.householdId };
    case 'ownAgency':
      return p.agencyId === null ? none : { kind: 'agency', agencyId: p.agencyId };
    case 'applicantsOfOwnAgency':
      return p.agencyId === null ? none : { kind: 'applicantsOfAgency', agencyId: p.agencyId };
    case 'public':
      return { kind: 'public', orAgencyId: null };
    case 'publicOrOwnAgency':
      return { kind: 'public', orAgencyId: p.agencyId };
  }
}

/**
 * Dossier statistics below admin: small-cell protection. A group counting fewer than k dossiers
 * (k = STATS_MIN_CELL_SIZE, 5 by default) is suppressed, and so is a second cell of its dimension
 * when one alone would follow from the totals (complementary suppression); filter time bounds are
 * whole days in Da Nang's time zone (a bound at another time is BAD_USER_INPUT), so that no window
 * isolates one dossier by its submission time. Admins see every figure.
 */
export const SMALL_CELL_PROTECTION: Record<Role, boolean> = {
  public: true,
  citizen: true,
  officer: true,
  analyst: true,
  auditor: true,
  admin: false,
};

export const DEFAULT_MINIMUM_CELL_SIZE = 5;

export function statisticsProtection(p: Pick<ResolvedPrincipal, 'role'>, minimumCell: number): { minimumCell: number; wholeDays: true } | null {
  return SMALL_CELL_PROTECTION[p.role] ? { minimumCell, wholeDays: true } : null;
}
