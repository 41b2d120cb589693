import type { VocabularyCheck } from '../../../platform/db/vocabulary.js';

/**
 * The services source's vocabularies, each written once: the TypeScript types below, the GraphQL
 * enums (graph/services.enums.ts) and the check constraints (checked against `SERVICES_CHECKS`
 * by a test) are built from these arrays.
 */

/** FULL_ONLINE is "dịch vụ công trực tuyến toàn trình": nothing has to be brought to an office. */
export const SERVICE_LEVELS = ['FULL_ONLINE', 'PARTIAL_ONLINE'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export const APPLICANT_KINDS = ['CITIZEN', 'BUSINESS'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export const DOSSIER_CHANNELS = ['ONLINE', 'COUNTER', 'POST'] as const;
export type DossierChannel = (typeof DOSSIER_CHANNELS)[number];

export const DOSSIER_STATUSES = ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED', 'COMPLETED', 'REJECTED', 'WITHDRAWN'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** Statuses of a dossier still being handled: these have no `completed_at` (a check constraint ties them). */
export const OPEN_STATUSES: readonly DossierStatus[] = ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'];

/** Resolved (a decision was returned: completed or rejected). */
export const RESOLVED_STATUSES: readonly DossierStatus[] = ['COMPLETED', 'REJECTED'];

export const DOSSIER_EVENT_KINDS = [
  'SUBMITTED',
  'ACCEPTED',
  'ASSIGNED',
  'ADDITIONAL_INFO_REQUESTED',
  'RESUBMITTED',
  'APPROVED',
  'REJECTED',
  'RESULT_RETURNED',
  'WITHDRAWN',
] as const;
export type DossierEventKind = (typeof DOSSIER_EVENT_KINDS)[number];

/** SUBMITTED_AT: newest first. DUE_AT: due soonest first (an officer's worklist). CODE: by code. */
export const DOSSIER_ORDERS = ['SUBMITTED_AT', 'DUE_AT', 'CODE'] as const;
export type DossierOrder = (typeof DOSSIER_ORDERS)[number];

export const PROCEDURE_ORDERS = ['NAME', 'CODE'] as const;
export type ProcedureOrder = (typeof PROCEDURE_ORDERS)[number];

/** What dossier figures can be grouped by, in the order groups are sorted. MONTH is the calendar month in Da Nang's time zone. */
export const DOSSIER_DIMENSIONS = ['AGENCY', 'MONTH', 'CHANNEL', 'STATUS'] as const;
export type DossierDimension = (typeof DOSSIER_DIMENSIONS)[number];

export const SERVICES_CHECKS: readonly VocabularyCheck[] = [
  { table: 'procedures', constraint: 'procedures_service_level_check', column: 'service_level', values: SERVICE_LEVELS },
  { table: 'dossiers', constraint: 'dossiers_applicant_kind_check', column: 'applicant_kind', values: APPLICANT_KINDS },
  { table: 'dossiers', constraint: 'dossiers_channel_check', column: 'channel', values: DOSSIER_CHANNELS },
  { table: 'dossiers', constraint: 'dossiers_status_check', column: 'status', values: DOSSIER_STATUSES },
  { table: 'dossiers', constraint: 'dossiers_completed_when_closed', column: 'status', values: OPEN_STATUSES },
  { table: 'dossier_events', constraint: 'dossier_events_kind_check', column: 'kind', values: DOSSIER_EVENT_KINDS },
];
