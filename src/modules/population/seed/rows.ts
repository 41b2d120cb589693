import { Random } from '../../../seed/random.js';
import { blockCount, dayToIso, residentBlock, TODAY_DAY, type HouseholdSketch, type ResidentSketch } from './residents.js';
import { NationalIdIssuer, mobileNumber, personalEmail } from './identity.js';
import { fullAddress } from './streets.js';

/** Column orders of the generated rows (what `loadTable` is given). */
export const HOUSEHOLD_COLUMNS = ['id', 'code', 'ward_id', 'address', 'head_citizen_id', 'member_count'] as const;
export const CITIZEN_COLUMNS = [
  'id', 'national_id', 'full_name', 'gender', 'birth_date', 'phone', 'email', 'address', 'ward_id', 'household_id', 'created_at',
] as const;

/** Every household in id order, with the ward's running number for its register code. */
function* households(seed: number, citizens: number): Generator<{ id: number; sketch: HouseholdSketch; block: number }> {
  let id = 0;
  for (let block = 0; block < blockCount(citizens); block += 1) {
    for (const sketch of residentBlock(seed, block, citizens)) {
      id += 1;
      yield { id, sketch, block };
    }
  }
}

/** Household rows: the head is the first member, so the id is known before citizens load. */
export function* householdRows(seed: number, citizens: number): Generator<unknown[]> {
  const perWard = new Map<number, number>();
  for (const { id, sketch } of households(seed, citizens)) {
    const serial = (perWard.get(sketch.ward.id) ?? 0) + 1;
    perWard.set(sketch.ward.id, serial);
    const code = `HK-${sketch.ward.code}-${String(serial).padStart(6, '0')}`;
    yield [id, code, sketch.ward.id, sketch.home, sketch.firstCitizenId, sketch.members.length];
  }
}

const DAY_MS = 86_400_000;
/** The national population database was filled in 2021: earlier residents were entered then. */
const REGISTER_START_DAY = Date.UTC(2021, 0, 4) / DAY_MS;
const REGISTER_DAYS = 360;

/** When the resident's record was created: during the 2021 data drive, or weeks after birth. */
function createdAt(rng: Random, resident: ResidentSketch): string {
  const day = resident.birthDay < REGISTER_START_DAY
    ? REGISTER_START_DAY + rng.int(0, REGISTER_DAYS)
    : Math.min(TODAY_DAY, resident.birthDay + rng.int(7, 60));
  // Office hours in Đà Nẵng (UTC+7): 07:30-17:00 local is 00:30-10:00 UTC.
  return new Date(day * DAY_MS + rng.int(1_800, 36_000) * 1000).toISOString();
}

function phoneShare(age: number): number {
  if (age < 15) return 0;
  if (age < 18) return 0.7;
  return age < 70 ? 0.95 : 0.7;
}

function emailShare(age: number): number {
  if (age < 15) return 0;
  if (age < 40) return 0.65;
  return age < 60 ? 0.35 : 0.08;
}

/** Citizen rows in id order; contact details come from a stream per block of their own. */
export function* citizenRows(seed: number, citizens: number): Generator<unknown[]> {
  const issuer = new NationalIdIssuer(seed % 1_000_000);
  const phoneSalt = seed % 10_000_000;
  let block = -1;
  let contact = Random.for(seed, 'population.contact', 0);
  for (const { id: householdId, sketch, block: at } of households(seed, citizens)) {
    if (at !== block) {
      block = at;
      contact = Random.for(seed, 'population.contact', block);
    }
    const address = fullAddress(sketch.home, sketch.ward);
    for (const resident of sketch.members) {
      const birthDate = dayToIso(resident.birthDay);
      const birthYear = Number(birthDate.slice(0, 4));
      const phone = contact.chance(phoneShare(resident.age)) ? mobileNumber(contact, resident.id, phoneSalt) : null;
      const email = contact.chance(emailShare(resident.age)) ? personalEmail(contact, resident.fullName, birthYear) : null;
      yield [
        resident.id, issuer.issue(resident.province, resident.gender, birthYear), resident.fullName, resident.gender, birthDate,
        phone, email, address, sketch.ward.id, householdId, createdAt(contact, resident),
      ];
    }
  }
}
