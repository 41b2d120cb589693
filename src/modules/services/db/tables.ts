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

export interface ServicesDatabase {
  procedures: ProceduresTable;
  dossiers: DossiersTable;
  dossier_events: DossierEventsTable;
}

export type ProcedureRow = Selectable<ProceduresTable>;
export type DossierRow = Selectable<DossiersTable>;
export type DossierEventRow = Selectable<DossierEventsTable>;
