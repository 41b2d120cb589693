import type { SubjectType } from './vocabulary.js';

/** Whose personal data an object holds: implemented by every type marked @PersonalDataType. */
export interface PersonalSubject {
  type: SubjectType;
  /** Row id of the citizen or household. */
  rowId: number;
  /** For a citizen: their national id (to recognise a citizen caller reading their own data). */
  nationalId: string | null;
}

export interface HoldsPersonalData {
  personalSubject(): PersonalSubject;
}

export function holdsPersonalData(value: unknown): value is HoldsPersonalData {
  return typeof value === 'object' && value !== null && typeof (value as HoldsPersonalData).personalSubject === 'function';
}
