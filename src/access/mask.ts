import type { PersonalKind } from './vocabulary.js';

/** What a masked value keeps, per kind that keeps anything, for the policy tables. */
export const MASKS: Partial<Record<PersonalKind, { keeps: string; example: string }>> = {
  NATIONAL_ID: { keeps: 'its last 4 digits', example: '048082645612' },
};

/**
 * Masks a value the caller may see only in part, keeping nothing the caller is denied. A national
 * id (căn cước) is province (3 digits), century and gender (1), birth year (2), then a 6-digit
 * random serial: only the serial's last 4 digits are kept, `048012345612` → `********5612`.
 * Any other value is one fixed mask: not even its length is told.
 */
export function mask(kind: PersonalKind, value: string): string {
  if (kind === 'NATIONAL_ID' && /^\d{12}$/.test(value)) return `********${value.slice(-4)}`;
  return '********';
}
