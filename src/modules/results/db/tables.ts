import type { Generated, Selectable } from 'kysely';
import type { HolderKind, ResultKind, ResultStatus } from './vocabulary.js';

export type { HolderKind, ResultKind, ResultStatus } from './vocabulary.js';

/** The certificates, licences and decisions issued when dossiers complete, one per completed dossier. */
export interface ProcedureResultsTable {
  id: Generated<number>;
  /** Human-readable and unique, e.g. `GP-STTTT-2024-000153`: kind, issuing agency, year, serial. */
  number: string;
  kind: ResultKind;
  /** The issuing agency, in the reference source (no foreign key across sources). */
  issuing_agency_id: number;
  holder_kind: HolderKind;
  /** A citizen id (population source) or a business id (business source), by `holder_kind`. */
  holder_id: number;
  /** The dossier (services source) this result answers: at most one result per dossier. */
  dossier_id: number;
  issued_at: Date;
  /** Null: valid without a time limit. */
  valid_until: Date | null;
  /**
   * As recorded by the repository. A VALID result whose `valid_until` has passed counts as
   * EXPIRED (see `statusAt`): the record is not rewritten when the date passes.
   */
  status: ResultStatus;
  /** Lower-case hex SHA-256 of the issued document: what the public verification checks. */
  document_sha256: string;
  /** Holder data printed on the document, as it stood at issuance. A citizen holder's is personal data. */
  holder_name: string;
  /** A citizen holder's 12-digit national id; null for a business. */
  holder_national_id: string | null;
  /** A citizen holder's birth date, 'YYYY-MM-DD' (read as text: no time zone); null for a business. */
  holder_birth_date: string | null;
  /** A business holder's enterprise code or household business registration number; null for a citizen. */
  holder_business_code: string | null;
}

export interface ResultsDatabase {
  procedure_results: ProcedureResultsTable;
}

export type ProcedureResultRow = Selectable<ProcedureResultsTable>;

/** What the public verification reads of a result: nothing about the holder. */
export type VerificationRow = Pick<ProcedureResultRow, 'number' | 'document_sha256' | 'kind' | 'status' | 'issued_at' | 'valid_until' | 'issuing_agency_id'>;

/**
 * The status of a result at a moment: the recorded one, except that a VALID result past its
 * `valid_until` is EXPIRED. `resultConditions` says the same in SQL.
 */
export function statusAt(row: Pick<ProcedureResultRow, 'status' | 'valid_until'>, now: Date): ResultStatus {
  if (row.status === 'VALID' && row.valid_until !== null && row.valid_until <= now) return 'EXPIRED';
  return row.status;
}
