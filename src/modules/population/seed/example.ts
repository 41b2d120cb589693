import { SCALES } from '../../../seed/scales.js';
import { wardById } from './places.js';
import { BLOCK_SIZE, ageOn, blockCount } from './residents.js';
import { citizenRows, CITIZEN_COLUMNS } from './rows.js';

/** The documented example citizen (README, "Example identities"): a resident with a full record. */
export interface ExampleCitizen {
  id: number;
  nationalId: string;
  fullName: string;
  birthDate: string;
  phone: string;
  email: string;
  wardId: number;
  wardName: string;
}

/** Ages of the example citizen on the reference day: an adult at any dossier's submission. */
const MIN_AGE = 30;
const MAX_AGE = 60;

/**
 * The example citizen of a seed: the lowest id aged 30 to 60 on the reference day with a phone
 * and an e-mail. It is looked for among the first ids of the smallest scale, whose rows are the
 * same at every scale (only the last, cut-short block differs), so one identity serves them all.
 */
export function exampleCitizen(seed: number, today: string): ExampleCitizen {
  const citizens = Math.min(...Object.values(SCALES).map((s) => s.citizens));
  const lastWholeId = (blockCount(citizens) - 1) * BLOCK_SIZE;
  const at = (name: (typeof CITIZEN_COLUMNS)[number]) => CITIZEN_COLUMNS.indexOf(name);
  for (const row of citizenRows(seed, citizens)) {
    const id = row[at('id')] as number;
    if (id > lastWholeId) break;
    const birthDate = row[at('birth_date')] as string;
    const phone = row[at('phone')] as string | null;
    const email = row[at('email')] as string | null;
    const age = ageOn(birthDate, today);
    if (age < MIN_AGE || age > MAX_AGE || phone === null || email === null) continue;
    const wardId = row[at('ward_id')] as number;
    return {
      id, nationalId: row[at('national_id')] as string, fullName: row[at('full_name')] as string, birthDate, phone, email,
      wardId, wardName: wardById(wardId).fullName,
    };
  }
  throw new Error(`seed ${seed}: no resident fits the example citizen among the first ${lastWholeId} ids`);
}
