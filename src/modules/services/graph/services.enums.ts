import { registerEnumType } from 'type-graphql';
import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import {
  DOSSIER_CHANNELS,
  DOSSIER_DIMENSIONS,
  DOSSIER_EVENT_KINDS,
  DOSSIER_ORDERS,
  DOSSIER_STATUSES,
  PROCEDURE_ORDERS,
  SERVICE_LEVELS,
} from '../db/index.js';

export type ServiceLevel = EnumValue<typeof ServiceLevel>;
export const ServiceLevel = vocabularyEnum(SERVICE_LEVELS, {
  name: 'ServiceLevel',
  description: 'FULL_ONLINE: dịch vụ công trực tuyến toàn trình (nothing brought to an office).',
  valuesConfig: {
    FULL_ONLINE: { description: 'Full online public service (dịch vụ công trực tuyến toàn trình): filed, handled and returned online.' },
    PARTIAL_ONLINE: { description: 'Partial online public service (dịch vụ công trực tuyến một phần): part of it at an office.' },
  },
});

export type DossierChannel = EnumValue<typeof DossierChannel>;
export const DossierChannel = vocabularyEnum(DOSSIER_CHANNELS, {
  name: 'DossierChannel',
  description: 'How the dossier was received: online, at the one-stop counter, or by post.',
  valuesConfig: {
    ONLINE: { description: 'Filed online, on the public service portal (cổng dịch vụ công).' },
    COUNTER: { description: 'Filed in person at the one-stop counter (bộ phận tiếp nhận và trả kết quả, "một cửa").' },
    POST: { description: 'Sent by post (bưu chính công ích).' },
  },
});

export type DossierStatus = EnumValue<typeof DossierStatus>;
export const DossierStatus = vocabularyEnum(DOSSIER_STATUSES, {
  name: 'DossierStatus',
  description: 'Where a dossier (hồ sơ) stands in its handling.',
  valuesConfig: {
    RECEIVED: { description: 'Received (đã tiếp nhận), not yet in processing.' },
    PROCESSING: { description: 'Being processed (đang xử lý).' },
    ADDITIONAL_INFO_REQUIRED: { description: 'Waiting for the applicant to complete it (yêu cầu bổ sung hồ sơ).' },
    COMPLETED: { description: 'Closed: resolved and the result returned (đã trả kết quả).' },
    REJECTED: { description: 'Closed: refused (từ chối giải quyết).' },
    WITHDRAWN: { description: 'Closed: withdrawn at the applicant’s request (rút hồ sơ).' },
  },
});

export type DossierEventKind = EnumValue<typeof DossierEventKind>;
export const DossierEventKind = vocabularyEnum(DOSSIER_EVENT_KINDS, {
  name: 'DossierEventKind',
  description: 'What happened in a step of a dossier’s handling.',
  valuesConfig: {
    SUBMITTED: { description: 'The applicant filed the dossier (nộp hồ sơ).' },
    ACCEPTED: { description: 'The receiving office accepted it and set the date the result is due (tiếp nhận).' },
    ASSIGNED: { description: 'Handed over to the specialised unit for appraisal (chuyển xử lý).' },
    ADDITIONAL_INFO_REQUESTED: { description: 'The applicant was asked to complete the dossier (yêu cầu bổ sung).' },
    RESUBMITTED: { description: 'The applicant completed the dossier as asked (đã bổ sung).' },
    APPROVED: { description: 'The result was signed off by the agency’s leadership (ký duyệt).' },
    REJECTED: { description: 'Refused (từ chối giải quyết).' },
    RESULT_RETURNED: { description: 'The result was returned to the applicant (trả kết quả).' },
    WITHDRAWN: { description: 'Withdrawn at the applicant’s request (rút hồ sơ).' },
  },
});

export enum Timeliness {
  OPEN = 'OPEN',
  OPEN_OVERDUE = 'OPEN_OVERDUE',
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
}
registerEnumType(Timeliness, {
  name: 'Timeliness',
  description: 'Open or closed, before or after the statutory due time.',
  valuesConfig: {
    OPEN: { description: 'Still open, and the due time has not passed.' },
    OPEN_OVERDUE: { description: 'Still open past the due time (quá hạn).' },
    ON_TIME: { description: 'Closed on or before the due time (đúng hạn).' },
    LATE: { description: 'Closed after the due time (trễ hạn).' },
  },
});

export type DossierOrder = EnumValue<typeof DossierOrder>;
export const DossierOrder = vocabularyEnum(DOSSIER_ORDERS, {
  name: 'DossierOrder',
  description: 'SUBMITTED_AT newest first; DUE_AT due soonest first (a worklist); CODE ascending.',
  valuesConfig: {
    SUBMITTED_AT: { description: 'By submission time, newest first.' },
    DUE_AT: { description: 'By due time, soonest (or longest overdue) first.' },
    CODE: { description: 'By dossier code, ascending.' },
  },
});

export type ProcedureOrder = EnumValue<typeof ProcedureOrder>;
export const ProcedureOrder = vocabularyEnum(PROCEDURE_ORDERS, {
  name: 'ProcedureOrder',
  description: 'Orderings of administrative procedures (thủ tục hành chính).',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    CODE: { description: 'By procedure code, ascending.' },
  },
});

export type DossierDimension = EnumValue<typeof DossierDimension>;
export const DossierDimension = vocabularyEnum(DOSSIER_DIMENSIONS, {
  name: 'DossierDimension',
  description: 'What dossier statistics can be grouped by (MONTH in Đà Nẵng time).',
  valuesConfig: {
    AGENCY: { description: 'The handling agency.' },
    MONTH: { description: 'The calendar month of submission, in Đà Nẵng time.' },
    CHANNEL: { description: 'How the dossier was received.' },
    STATUS: { description: 'The dossier’s current status.' },
  },
});
