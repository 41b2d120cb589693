import type { Random } from '../../../seed/random.js';

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The tax code's check digit: 10 − (Σ digit × weight mod 11); null where that gives 10 (never issued). */
export function taxCheckDigit(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(nineDigits[i]) * TAX_WEIGHTS[i]!;
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/**
 * Enterprise codes: Đà Nẵng's province prefix 04, then 0 and a serial, then the check digit.
 * Older enterprises hold 0400…, those of 2005-2016 0401…, later ones 0402…, as in the register.
 */
export class EnterpriseCodes {
  private readonly issued = new Set<string>();

  next(rng: Random, registeredYear: number): string {
    const series = registeredYear < 2005 ? '0400' : registeredYear < 2017 ? '0401' : '0402';
    for (;;) {
      const nine = `${series}${rng.digits(5)}`;
      const check = taxCheckDigit(nine);
      if (check === null) continue;
      const code = `${nine}${check}`;
      if (this.issued.has(code)) continue;
      this.issued.add(code);
      return code;
    }
  }
}

/** This seed's convention for the district letter of household business registrations. */
const DISTRICT_LETTERS: Readonly<Record<string, string>> = {
  '492': 'A', '491': 'B', '493': 'C', '494': 'D', '490': 'E', '495': 'F', '497': 'G',
};

/**
 * Household business registration numbers: 32 (Đà Nẵng's prefix in the old business register),
 * the district's letter, 8, then a 6-digit serial that each district office issues in order.
 */
export class HouseholdBusinessCodes {
  private readonly serials = new Map<string, number>();

  next(rng: Random, districtCode: string): string {
    const letter = DISTRICT_LETTERS[districtCode] ?? 'A';
    const serial = (this.serials.get(letter) ?? rng.int(100, 3000)) + rng.int(1, 40);
    this.serials.set(letter, serial);
    return `32${letter}8${String(serial).padStart(6, '0')}`;
  }
}
