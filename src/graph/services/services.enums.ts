import { registerEnumType } from 'type-graphql';

export enum ServiceLevel {
  FULL_ONLINE = 'FULL_ONLINE',
  PARTIAL_ONLINE = 'PARTIAL_ONLINE',
}
registerEnumType(ServiceLevel, { name: 'ServiceLevel', description: 'FULL_ONLINE: dịch vụ công trực tuyến toàn trình (nothing brought to an office).' });

export enum DossierChannel {
  ONLINE = 'ONLINE',
  COUNTER = 'COUNTER',
  POST = 'POST',
}
registerEnumType(DossierChannel, { name: 'DossierChannel', description: 'How the dossier was received: online, at the one-stop counter, or by post.' });

export enum DossierStatus {
  RECEIVED = 'RECEIVED',
  PROCESSING = 'PROCESSING',
  ADDITIONAL_INFO_REQUIRED = 'ADDITIONAL_INFO_REQUIRED',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(DossierStatus, { name: 'DossierStatus' });

export enum DossierEventKind {
  SUBMITTED = 'SUBMITTED',
  ACCEPTED = 'ACCEPTED',
  ASSIGNED = 'ASSIGNED',
  ADDITIONAL_INFO_REQUESTED = 'ADDITIONAL_INFO_REQUESTED',
  RESUBMITTED = 'RESUBMITTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  RESULT_RETURNED = 'RESULT_RETURNED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(DossierEventKind, { name: 'DossierEventKind' });

export enum Timeliness {
  OPEN = 'OPEN',
  OPEN_OVERDUE = 'OPEN_OVERDUE',
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
}
registerEnumType(Timeliness, { name: 'Timeliness', description: 'Open or closed, before or after the statutory due time.' });

export enum DossierOrder {
  SUBMITTED_AT = 'SUBMITTED_AT',
  DUE_AT = 'DUE_AT',
  CODE = 'CODE',
}
registerEnumType(DossierOrder, { name: 'DossierOrder', description: 'SUBMITTED_AT newest first; DUE_AT due soonest first (a worklist); CODE ascending.' });

export enum ProcedureOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(ProcedureOrder, { name: 'ProcedureOrder' });

export enum DossierDimension {
  AGENCY = 'AGENCY',
  MONTH = 'MONTH',
  CHANNEL = 'CHANNEL',
  STATUS = 'STATUS',
}
registerEnumType(DossierDimension, { name: 'DossierDimension', description: 'What dossier statistics can be grouped by (MONTH in Đà Nẵng time).' });
