import { expressionBuilder, sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { ServicesDatabase } from './tables.js';
import { OPEN_STATUSES, type ApplicantKind, type DossierChannel, type DossierStatus } from './vocabulary.js';

/** A dossier's applicant: a citizen (population source) or a business (business source). */
export interface ApplicantRef {
  kind: ApplicantKind;
  id: number;
}

/**
 * Conditions on dossier rows (the repository's filter; `DossierFilter` is the GraphQL input a
 * client sends). Unset (null or undefined) means no restriction; an empty array in a scope field
 * (`agencyIds`, `applicants`, `status`) matches nothing, so a row scope of nobody stays empty.
 */
export interface DossierWhere {
  /** Only these dossiers (lookups by id under a row scope). */
  ids?: readonly number[] | null;
  /** Only these codes (the lookup by code under a row scope). */
  codes?: readonly string[] | null;
  agencyId?: number | null;
  /** Row scope: dossiers handled by any of these agencies. */
  agencyIds?: readonly number[] | null;
  procedureId?: number | null;
  status?: DossierStatus | readonly DossierStatus[] | null;
  channel?: DossierChannel | null;
  applicantKind?: ApplicantKind | null;
  applicantId?: number | null;
  /** Row scope: dossiers of any of these applicants. */
  applicants?: readonly ApplicantRef[] | null;
  /** Inclusive. */
  submittedFrom?: Date | null;
  /** Exclusive. */
  submittedTo?: Date | null;
  /** Exclusive. */
  dueBefore?: Date | null;
  /** Closed after its due time, or still open past it (judged at `now`). */
  overdue?: boolean | null;
  wardId?: number | null;
  /** The moment `overdue` is judged at; the current time when unset (seeded data: SEED_TODAY). */
  now?: Date | null;
}

/**
 * Overdue: still open past the due time at `now`, or closed after it. Never null, so `not`
 * gives exactly the other dossiers.
 */
export function overdueAt(now: Date): RawBuilder<boolean> {
  return sql<boolean>`((completed_at is null and due_at < ${now}) or coalesce(completed_at > due_at, false))`;
}

/** The filter as SQL conditions on `dossiers` (unqualified columns, so they work in subqueries). */
export function dossierConditions(filter: DossierWhere): Expression<SqlBool>[] {
  const eb = expressionBuilder<ServicesDatabase, 'dossiers'>();
  const conditions: Expression<SqlBool>[] = [];
  if (filter.ids) conditions.push(eb('id', '=', sql<number>`any(${[...filter.ids]}::int[])`));
  if (filter.codes) conditions.push(eb('code', '=', sql<string>`any(${[...filter.codes]}::text[])`));
  if (filter.agencyId != null) conditions.push(eb('agency_id', '=', filter.agencyId));
  if (filter.agencyIds) conditions.push(eb('agency_id', '=', sql<number>`any(${[...filter.agencyIds]}::int[])`));
  if (filter.procedureId != null) conditions.push(eb('procedure_id', '=', filter.procedureId));
  const statuses = typeof filter.status === 'string' ? [filter.status] : filter.status;
  if (statuses) {
    // Open statuses are exactly the rows without completed_at (a check constraint ties them);
    // said that way, an officer's worklist reads the small open-dossier indexes.
    const open = statuses.length > 0 && statuses.every((s) => OPEN_STATUSES.includes(s));
    const allOpen = open && OPEN_STATUSES.every((s) => statuses.includes(s));
    if (open) conditions.push(eb('completed_at', 'is', null));
    // When every open status is asked for, completed_at alone says it.
    if (!allOpen) {
      conditions.push(statuses.length === 1 ? eb('status', '=', statuses[0]!) : eb('status', '=', sql<DossierStatus>`any(${[...statuses]}::text[])`));
    }
  }
  if (filter.channel) conditions.push(eb('channel', '=', filter.channel));
  if (filter.applicantKind) conditions.push(eb('applicant_kind', '=', filter.applicantKind));
  if (filter.applicantId != null) conditions.push(eb('applicant_id', '=', filter.applicantId));
  if (filter.applicants) {
    const kinds = filter.applicants.map((a) => a.kind);
    const ids = filter.applicants.map((a) => a.id);
    conditions.push(sql<boolean>`(applicant_kind, applicant_id) in (select * from unnest(${kinds}::text[], ${ids}::int[]))`);
  }
  if (filter.submittedFrom) conditions.push(eb('submitted_at', '>=', filter.submittedFrom));
  if (filter.submittedTo) conditions.push(eb('submitted_at', '<', filter.submittedTo));
  if (filter.dueBefore) conditions.push(eb('due_at', '<', filter.dueBefore));
  if (filter.overdue != null) {
    const overdue = overdueAt(filter.now ?? new Date());
    conditions.push(filter.overdue ? overdue : sql<boolean>`not ${overdue}`);
  }
  if (filter.wardId != null) conditions.push(eb('ward_id', '=', filter.wardId));
  return conditions;
}
