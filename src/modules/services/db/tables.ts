import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { ApplicantKind, DossierChannel, DossierEventKind, DossierStatus, ServiceLevel } from './vocabulary.js';

export type { ApplicantKind, DossierChannel, DossierEventKind, DossierStatus, ServiceLevel } from './vocabulary.js';

export interface ProceduresTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** `name` as a Vietnamese sort key (src/platform/db/vietnamese-order.ts): what the NAME keyset walks. */
  name_sort: GeneratedAlways<string>;
  /** The handling agency, in the reference source (no foreign key across sources). */
  agency_id: number;
  field: string;
  service_level: ServiceLevel;
  /** Statutory processing time in working days. */
  processing_days: number;
  /** VND; 0 when the procedure is free. */
  fee: number;
}

export interface DossiersTable {
  id: Generated<number>;
  code: string;
  procedure_id: number;
  /** The procedure's agency, copied so that an agency's dossiers are one index range. */
  agency_id: number;
  applicant_kind: ApplicantKind;
  /** A citizen id (population source) or a business id (business source), by `applicant_kind`. */
  applicant_id: number;
  channel: DossierChannel;
  status: DossierStatus;
  submitted_at: Date;
  due_at: Date;
  /** When the dossier was closed (result returned, rejected or withdrawn); null while open. */
  completed_at: Date | null;
  /** Reference ward where the applicant lives or filed. */
  ward_id: number;
}

export interface DossierEventsTable {
  id: Generated<number>;
  dossier_id: number;
  /** 1, 2, ... in the order the events happened. */
  seq: number;
  kind: DossierEventKind;
  occurred_at: Date;
  /** The agency that acted (reference source). */
  agency_id: number;
  note: string;
}

/** Dossier counts per group of one rollup grain (db/rollups.ts; kept by triggers on `dossiers`). */
export interface DossierRollupCounts {
  agency_id: number;
  channel: DossierChannel;
  status: DossierStatus;
  dossiers: number;
  /** Resolved (completed or rejected) on or before the due time. */
  on_time: number;
  /** Closed after the due time. */
  closed_late: number;
  /** Without completed_at. */
  still_open: number;
}

/** `day`: the day of submission in Đà Nẵng time ('YYYY-MM-DD', as dates are read). */
export interface DossierRollupDayTable extends DossierRollupCounts {
  day: string;
}

export interface DossierRollupDayProcedureTable extends DossierRollupDayTable {
  procedure_id: number;
}

/** `month`: the first day of the month of submission in Đà Nẵng time ('YYYY-MM-01'). */
export interface DossierRollupMonthTable extends DossierRollupCounts {
  month: string;
}

export interface DossierRollupMonthProcedureTable extends DossierRollupMonthTable {
  procedure_id: number;
}

/** Open dossiers by submission day and due time: how many are overdue at any moment. */
export interface DossierRollupOpenDueTable {
  day: string;
  agency_id: number;
  procedure_id: number;
  channel: DossierChannel;
  status: DossierStatus;
  due_at: Date;
  dossiers: number;
}

/** Month × agency (db/rollups.ts): the channel and status counted in. */
export interface DossierRollupMonthAgencyTable {
  month: string;
  agency_id: number;
  dossiers: number;
  online: number;
  resolved: number;
  on_time: number;
  closed_late: number;
  still_open: number;
}

export interface ServicesDatabase {
  procedures: ProceduresTable;
  dossiers: DossiersTable;
  dossier_events: DossierEventsTable;
  dossier_rollup_day: DossierRollupDayTable;
  dossier_rollup_day_procedure: DossierRollupDayProcedureTable;
  dossier_rollup_month: DossierRollupMonthTable;
  dossier_rollup_month_procedure: DossierRollupMonthProcedureTable;
  dossier_rollup_open_due: DossierRollupOpenDueTable;
  dossier_rollup_month_agency: DossierRollupMonthAgencyTable;
}

export type ProcedureRow = Selectable<ProceduresTable>;
export type DossierRow = Selectable<DossiersTable>;
export type DossierEventRow = Selectable<DossierEventsTable>;
