import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { HOLDER_KINDS, RESULT_KINDS, RESULT_ORDERS, RESULT_STATUSES, VERIFICATION_STATUSES } from '../db/index.js';

export type ProcedureResultKind = EnumValue<typeof ProcedureResultKind>;
export const ProcedureResultKind = vocabularyEnum(RESULT_KINDS, {
  name: 'ProcedureResultKind',
  description: 'What kind of document a completed dossier produced (kết quả giải quyết thủ tục hành chính).',
  valuesConfig: {
    CERTIFICATE: { description: 'A certificate (giấy chứng nhận, chứng chỉ, thẻ): of a registration, a qualification or a condition met.' },
    LICENCE: { description: 'A licence or permit (giấy phép) for an activity, usually for a limited time.' },
    DECISION: { description: 'An administrative decision (quyết định): an approval, a recognition, an establishment, a benefit granted.' },
    CONFIRMATION: { description: 'A written confirmation (văn bản xác nhận), valid for a short time.' },
    EXTRACT: { description: 'An extract or certified copy from a register (trích lục, phiếu, bản sao).' },
  },
});

export type ProcedureResultStatus = EnumValue<typeof ProcedureResultStatus>;
export const ProcedureResultStatus = vocabularyEnum(RESULT_STATUSES, {
  name: 'ProcedureResultStatus',
  description: 'Whether an issued result still holds, judged at the time of the request.',
  valuesConfig: {
    VALID: { description: 'In force (còn hiệu lực).' },
    REVOKED: { description: 'Revoked by the issuing agency (đã bị thu hồi).' },
    EXPIRED: { description: 'Past its validity date (hết hiệu lực).' },
  },
});

export type ProcedureResultVerificationStatus = EnumValue<typeof ProcedureResultVerificationStatus>;
export const ProcedureResultVerificationStatus = vocabularyEnum(VERIFICATION_STATUSES, {
  name: 'ProcedureResultVerificationStatus',
  description: 'The answer of the public verification of a result document.',
  valuesConfig: {
    VALID: { description: 'The document is a result in the repository, and it is in force.' },
    REVOKED: { description: 'The document is a result in the repository, and the issuing agency revoked it.' },
    EXPIRED: { description: 'The document is a result in the repository, and it is past its validity date.' },
    UNKNOWN: { description: 'No result has this number and this document hash (a wrong hash and an unknown number answer alike).' },
  },
});

export type ProcedureResultHolderKind = EnumValue<typeof ProcedureResultHolderKind>;
export const ProcedureResultHolderKind = vocabularyEnum(HOLDER_KINDS, {
  name: 'ProcedureResultHolderKind',
  description: 'Who a result was issued to.',
  valuesConfig: {
    CITIZEN: { description: 'A citizen (công dân) of the population register.' },
    BUSINESS: { description: 'An enterprise or household business of the business register.' },
  },
});

export type ProcedureResultOrder = EnumValue<typeof ProcedureResultOrder>;
export const ProcedureResultOrder = vocabularyEnum(RESULT_ORDERS, {
  name: 'ProcedureResultOrder',
  description: 'Orderings of procedure results.',
  valuesConfig: {
    ISSUED_AT: { description: 'By issue time, newest first.' },
    NUMBER: { description: 'By result number, ascending.' },
  },
});
