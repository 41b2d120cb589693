import { createHash } from 'node:crypto';
import type { HolderKind, ResultKind, ResultStatus } from '../db/index.js';
import type { Random } from '../../../seed/random.js';

/**
 * The pure part of the results seed: which kind of document a procedure issues, how long it is
 * valid, its number and the text of the document whose SHA-256 the repository keeps.
 */

/** Lower case without diacritics (đ → d), to match procedure names by keyword. */
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();

/** What a procedure issues, from its name in the national catalogue. */
export function resultKindOf(procedureName: string): ResultKind {
  const name = fold(procedureName);
  if (/^(cap )?(giay )?xac nhan|^thong bao/.test(name)) return 'CONFIRMATION';
  if (/khai sinh|khai tu|ly lich tu phap|ban sao|chung thuc|cung cap thong tin|trich luc/.test(name)) return 'EXTRACT';
  if (/giay phep|phu hieu/.test(name)) return 'LICENCE';
  if (/giay chung nhan|chung chi|(^| )cap (doi |lai )?the |dang ky/.test(name)) return 'CERTIFICATE';
  return 'DECISION';
}

/** The kind's abbreviation in result numbers, as on Vietnamese documents (GP: giấy phép, QĐ: quyết định…). */
export const KIND_CODES: Record<ResultKind, string> = {
  CERTIFICATE: 'GCN',
  LICENCE: 'GP',
  DECISION: 'QD',
  CONFIRMATION: 'XN',
  EXTRACT: 'TL',
};

const KIND_TITLES: Record<ResultKind, string> = {
  CERTIFICATE: 'GIẤY CHỨNG NHẬN',
  LICENCE: 'GIẤY PHÉP',
  DECISION: 'QUYẾT ĐỊNH',
  CONFIRMATION: 'GIẤY XÁC NHẬN',
  EXTRACT: 'TRÍCH LỤC',
};

/** Validity in months from issuance; null: without a time limit. */
export function validityMonths(kind: ResultKind, procedureName: string, rng: Random): number | null {
  const name = fold(procedureName);
  switch (kind) {
    case 'LICENCE':
      if (name.includes('lai xe')) return 120;
      return 12 * rng.weighted([[1, 2], [2, 2], [3, 2], [5, 3], [10, 1]] as const);
    case 'CERTIFICATE':
      if (/chung chi|du dieu kien|(^| )cap (doi |lai )?the /.test(name)) return 12 * rng.weighted([[3, 1], [5, 2]] as const);
      return null;
    case 'CONFIRMATION':
      // A confirmation (of marital status, for example) is used within six months.
      return 6;
    case 'DECISION':
    case 'EXTRACT':
      return null;
  }
}

/** `months` after `from`, same day and time of the month in UTC (the end of the month where it is shorter). */
export function addMonths(from: Date, months: number): Date {
  const to = new Date(from.getTime());
  const day = to.getUTCDate();
  to.setUTCDate(1);
  to.setUTCMonth(to.getUTCMonth() + months);
  const last = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)).getUTCDate();
  to.setUTCDate(Math.min(day, last));
  return to;
}

const DA_NANG_OFFSET_MS = 7 * 3_600_000;

/** The calendar year in Đà Nẵng (UTC+7) of a moment. */
export function localYear(at: Date): number {
  return new Date(at.getTime() + DA_NANG_OFFSET_MS).getUTCFullYear();
}

/** `dd/mm/yyyy` of a 'YYYY-MM-DD' date, as printed on Vietnamese documents. */
function dmy(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** `GP-STTTT-2024-000153`: kind, issuing agency, year of issue (Đà Nẵng time), serial within agency and year. */
export function resultNumber(kind: ResultKind, agencyCode: string, year: number, serial: number): string {
  return `${KIND_CODES[kind]}-${agencyCode}-${year}-${String(serial).padStart(6, '0')}`;
}

/** The recorded status at the seed's reference day: some revoked, the lapsed ones expired, most valid. */
export function statusOn(today: Date, validUntil: Date | null, revoked: boolean): ResultStatus {
  if (revoked) return 'REVOKED';
  return validUntil !== null && validUntil <= today ? 'EXPIRED' : 'VALID';
}

/** What a document prints about its holder. */
export type PrintedHolder =
  | { kind: Extract<HolderKind, 'CITIZEN'>; name: string; nationalId: string; birthDate: string }
  | { kind: Extract<HolderKind, 'BUSINESS'>; name: string; code: string };

export interface ResultDocument {
  number: string;
  kind: ResultKind;
  agencyName: string;
  procedureName: string;
  dossierCode: string;
  holder: PrintedHolder;
  issuedAt: Date;
  validUntil: Date | null;
  /**
   * The document's own random security code (mã xác thực), printed on it and kept nowhere else:
   * without it, someone who knows a person's data and a dossier's public dates could rebuild the
   * text and use the public verification to confirm that the person holds the result.
   */
  securityCode: string;
}

/** The text of the issued document (its "file"): the repository keeps only its SHA-256. */
export function documentText(doc: ResultDocument): string {
  const holder =
    doc.holder.kind === 'CITIZEN'
      ? [`Cấp cho: ${doc.holder.name}`, `Số định danh cá nhân: ${doc.holder.nationalId}`, `Ngày sinh: ${dmy(doc.holder.birthDate)}`]
      : [`Cấp cho: ${doc.holder.name}`, `Mã số doanh nghiệp/hộ kinh doanh: ${doc.holder.code}`];
  return [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    doc.agencyName,
    `Số: ${doc.number}`,
    KIND_TITLES[doc.kind],
    `Về việc: ${doc.procedureName}`,
    ...holder,
    `Hồ sơ: ${doc.dossierCode}`,
    `Ngày cấp: ${doc.issuedAt.toISOString()}`,
    `Có giá trị đến: ${doc.validUntil ? doc.validUntil.toISOString() : 'không thời hạn'}`,
    `Mã xác thực: ${doc.securityCode}`,
    '',
  ].join('\n');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `length` random hexadecimal digits. */
export function hexDigits(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += rng.int(0, 15).toString(16);
  return out;
}
