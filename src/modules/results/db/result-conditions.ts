import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { ResultsDatabase } from './tables.js';
import type { HolderKind, ResultKind, ResultStatus } from './vocabulary.js';

/** A result's holder: a citizen (population source) or a business (business source). */
export interface HolderRef {
  kind: HolderKind;
  id: number;
}

/**
 * Conditions on procedure results (the repository's filter; the GraphQL input is
 * `ProcedureResultFilter`). Unset (null or undefined) means no restriction; an empty array in
 * a scope field (`issuingAgencyIds`, `holders`) matches nothing, so a row scope of nobody stays empty.
 */
export interface ResultWhere {
  /** Only these results (lookups by id under a row scope). */
  ids?: readonly number[] | null;
  /** Only these numbers (the lookup by number under a row scope). */
  numbers?: readonly string[] | null;
  /** Only the results of these dossiers (Dossier.result under a row scope). */
  dossierIds?: readonly number[] | null;
  issuingAgencyId?: number | null;
  /** Row scope: results issued by any of these agencies. */
  issuingAgencyIds?: readonly number[] | null;
  holderKind?: HolderKind | null;
  /** Row scope: results held by any of these holders. */
  holders?: readonly HolderRef[] | null;
  kind?: readonly ResultKind[] | null;
  /** Any of these statuses as they stand at `now` (a VALID result past its valid_until is EXPIRED). */
  status?: readonly ResultStatus[] | null;
  /** Inclusive. */
  issuedFrom?: Date | null;
  /** Exclusive. */
  issuedTo?: Date | null;
  /** The moment `status` is judged at; the current time when unset. */
  now?: Date | null;
}

/** Each status as it stands at `now`, in SQL: the same rule as `statusAt` (tables.ts). */
function statusCondition(status: ResultStatus, now: Date): Expression<SqlBool> {
  const lapsed = sql<boolean>`(valid_until is not null and valid_until <= ${now})`;
  switch (status) {
    case 'VALID':
      return sql<boolean>`(status = 'VALID' and not ${lapsed})`;
    case 'EXPIRED':
      return sql<boolean>`(status = 'EXPIRED' or (status = 'VALID' and ${lapsed}))`;
    case 'REVOKED':
      return sql<boolean>`status = 'REVOKED'`;
  }
}

/** The filter as SQL conditions on `procedure_results` (unqualified columns, so they work in subqueries). */
export function resultConditions(filter: ResultWhere): Expression<SqlBool>[] {
  const eb = expressionBuilder<ResultsDatabase, 'procedure_results'>();
  const conditions: Expression<SqlBool>[] = [];
  if (filter.ids) conditions.push(eb('id', '=', sql<number>`any(${[...filter.ids]}::int[])`));
  if (filter.numbers) conditions.push(eb('number', '=', sql<string>`any(${[...filter.numbers]}::text[])`));
  if (filter.dossierIds) conditions.push(eb('dossier_id', '=', sql<number>`any(${[...filter.dossierIds]}::int[])`));
  if (filter.issuingAgencyId != null) conditions.push(eb('issuing_agency_id', '=', filter.issuingAgencyId));
  if (filter.issuingAgencyIds) conditions.push(eb('issuing_agency_id', '=', sql<number>`any(${[...filter.issuingAgencyIds]}::int[])`));
  if (filter.holderKind) conditions.push(eb('holder_kind', '=', filter.holderKind));
  if (filter.holders) {
    const kinds = filter.holders.map((h) => h.kind);
    const ids = filter.holders.map((h) => h.id);
    conditions.push(sql<boolean>`(holder_kind, holder_id) in (select * from unnest(${kinds}::text[], ${ids}::int[]))`);
  }
  if (filter.kind) conditions.push(eb('kind', '=', sql<ResultKind>`any(${[...filter.kind]}::text[])`));
  if (filter.status) {
    const now = filter.now ?? new Date();
    const statuses = [...new Set(filter.status)].map((s) => statusCondition(s, now));
    conditions.push(statuses.length === 0 ? sql<boolean>`false` : eb.or(statuses));
  }
  if (filter.issuedFrom) conditions.push(eb('issued_at', '>=', filter.issuedFrom));
  if (filter.issuedTo) conditions.push(eb('issued_at', '<', filter.issuedTo));
  return conditions;
}
