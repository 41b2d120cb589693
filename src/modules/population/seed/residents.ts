import { Random } from '../../../seed/random.js';
import { SEED_TODAY } from '../../../seed/scales.js';
import { pickFamilyName, pickMiddleAndGiven, type Gender } from './names.js';
import { RESIDENCE_WARDS, type WardPlace } from './places.js';
import { homeAddress } from './streets.js';

/**
 * Who lives where, as a pure function of (seed, citizen id). Citizens are cut into blocks of
 * BLOCK_SIZE consecutive ids; each block is filled with whole households drawn from a stream of
 * its own. Any citizen can be recomputed by regenerating only its block, which is how the
 * business seed picks adult legal representatives that exist in population without reading it.
 */
export const BLOCK_SIZE = 64;

export type HouseholdRole = 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT';

export interface ResidentSketch {
  id: number;
  fullName: string;
  gender: Gender;
  role: HouseholdRole;
  /** Days since 1970-01-01 (UTC). */
  birthDay: number;
  /** Completed years on the seed's reference day. */
  age: number;
  /** Province code of birth registration: the first three digits of the national ID. */
  province: string;
}

export interface HouseholdSketch {
  /** The head's citizen id; the members follow it. */
  firstCitizenId: number;
  ward: WardPlace;
  /** House and street (or hamlet), without the ward. */
  home: string;
  members: ResidentSketch[];
}

const DAY_MS = 86_400_000;
/** The seed's reference day (31 October 2024) as a day number. */
export const TODAY_DAY = Math.floor(Date.UTC(SEED_TODAY.getUTCFullYear(), SEED_TODAY.getUTCMonth(), SEED_TODAY.getUTCDate()) / DAY_MS);

/**
 * A birth day that makes someone exactly `age` on the reference day: the reference date `age`
 * years back, less 0..364 days (a year back from 31 October is still after 31 October).
 */
function birthDayAtAge(age: number, daysBack: number): number {
  return Date.UTC(SEED_TODAY.getUTCFullYear() - age, SEED_TODAY.getUTCMonth(), SEED_TODAY.getUTCDate()) / DAY_MS - daysBack;
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Completed years between a birth date and a day, both 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Household sizes (Đà Nẵng averages about 3.5 people per household). */
const SIZES: ReadonlyArray<readonly [number, number]> = [[1, 10], [2, 18], [3, 23], [4, 27], [5, 13], [6, 6], [7, 3]];
/** Share of households of each size that live with the head's parents. */
const THREE_GENERATIONS = [0, 0, 0, 0.12, 0.25, 0.55, 0.8, 0.85];

/** Where the ~20% of residents registered elsewhere come from (province codes of the national ID). */
const ORIGINS: ReadonlyArray<readonly [string, number]> = [
  ['049', 34], // Quảng Nam
  ['046', 14], // Thừa Thiên Huế
  ['051', 14], // Quảng Ngãi
  ['045', 8], // Quảng Trị
  ['044', 6], // Quảng Bình
  ['052', 6], // Bình Định
  ['001', 10], // Hà Nội
  ['079', 8], // Hồ Chí Minh City
];
const DA_NANG = '048';

interface Draft {
  role: HouseholdRole;
  gender: Gender;
  age: number;
  family?: string;
}

function singleAdultAge(rng: Random): number {
  const band = rng.weighted<readonly [number, number]>([[[18, 29], 35], [[30, 59], 30], [[60, 92], 35]]);
  return rng.int(band[0], band[1]);
}

function clampAge(age: number): number {
  return Math.max(0, Math.min(95, age));
}

/** The members of one household of `size` people: roles, genders and ages that fit together. */
function compose(rng: Random, size: number): Draft[] {
  if (size === 1) {
    const age = singleAdultAge(rng);
    return [{ role: 'HEAD', gender: rng.chance(age >= 65 ? 0.35 : 0.5) ? 'MALE' : 'FEMALE', age }];
  }
  const threeGen = rng.chance(THREE_GENERATIONS[size] ?? 0.85);
  const parents = threeGen ? (size >= 5 && rng.chance(0.7) ? 2 : 1) : 0;
  const spouse = size - parents >= 2 && rng.chance(size === 2 ? 0.65 : 0.88);
  const children = size - 1 - parents - (spouse ? 1 : 0);

  let headAge: number;
  if (children === 0) headAge = parents > 0 ? rng.int(25, 50) : rng.chance(0.5) ? rng.int(22, 38) : rng.int(50, 88);
  else headAge = threeGen ? rng.int(27, 52) : rng.int(24, 58);
  const headMale = rng.chance(spouse ? 0.75 : 0.3);
  const members: Draft[] = [{ role: 'HEAD', gender: headMale ? 'MALE' : 'FEMALE', age: headAge }];
  if (spouse) {
    const age = headAge + (headMale ? rng.int(-7, 2) : rng.int(-2, 7));
    members.push({ role: 'SPOUSE', gender: headMale ? 'FEMALE' : 'MALE', age: Math.max(18, clampAge(age)) });
  }
  for (let i = 0; i < parents; i += 1) {
    const gender: Gender = parents === 2 ? (i === 0 ? 'MALE' : 'FEMALE') : rng.chance(0.35) ? 'MALE' : 'FEMALE';
    members.push({ role: 'PARENT', gender, age: clampAge(headAge + rng.int(22, 34)) });
  }
  for (let i = 0; i < children; i += 1) {
    let age = headAge - rng.int(20, 38);
    if (age < 0) age = rng.int(0, Math.max(0, headAge - 20));
    members.push({ role: 'CHILD', gender: rng.chance(0.512) ? 'MALE' : 'FEMALE', age });
  }
  return members;
}

/** Family names: children and the husband's parents carry the husband's; wives keep their own. */
function name(rng: Random, draft: Draft, family: string, husbandInHousehold: boolean): string {
  const inheritsFamily =
    draft.role === 'CHILD' ||
    (draft.gender === 'MALE' && draft.role !== 'PARENT') ||
    (draft.role === 'HEAD' && !husbandInHousehold) ||
    (draft.role === 'PARENT' && draft.gender === 'MALE');
  const familyName = inheritsFamily ? family : pickFamilyName(rng);
  return `${familyName} ${pickMiddleAndGiven(rng, draft.gender, draft.age)}`;
}

export function blockCount(citizens: number): number {
  return Math.ceil(citizens / BLOCK_SIZE);
}

/** The households of one block, members with consecutive ids; the last household may be cut short. */
export function residentBlock(seed: number, block: number, citizens: number): HouseholdSketch[] {
  const rng = Random.for(seed, 'population.block', block);
  const first = block * BLOCK_SIZE + 1;
  const last = Math.min(citizens, first + BLOCK_SIZE - 1);
  const households: HouseholdSketch[] = [];
  let next = first;
  while (next <= last) {
    const size = Math.min(rng.weighted(SIZES), last - next + 1);
    const ward = RESIDENCE_WARDS.pick(rng);
    const home = homeAddress(rng, ward);
    const origin = rng.chance(0.76) ? DA_NANG : rng.weighted(ORIGINS);
    const drafts = compose(rng, size);
    const family = pickFamilyName(rng);
    const husband = drafts.some((d) => d.gender === 'MALE' && (d.role === 'HEAD' || d.role === 'SPOUSE'));
    const members = drafts.map((draft, index): ResidentSketch => {
      const birthDay = birthDayAtAge(draft.age, rng.int(0, 364));
      // Children of families who moved in are mostly registered at birth in Đà Nẵng.
      const province = origin !== DA_NANG && draft.age < 18 && rng.chance(0.5) ? DA_NANG : origin;
      return {
        id: next + index, fullName: name(rng, draft, family, husband), gender: draft.gender, role: draft.role,
        birthDay, age: draft.age, province,
      };
    });
    households.push({ firstCitizenId: next, ward, home, members });
    next += size;
  }
  return households;
}

/**
 * Looks up single residents by id without generating everyone; keeps the last few blocks, since
 * callers tend to ask for neighbours.
 */
export class ResidentModel {
  private readonly cache = new Map<number, HouseholdSketch[]>();

  constructor(
    readonly seed: number,
    readonly citizens: number,
  ) {}

  block(index: number): HouseholdSketch[] {
    let households = this.cache.get(index);
    if (!households) {
      households = residentBlock(this.seed, index, this.citizens);
      if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(index, households);
    }
    return households;
  }

  resident(id: number): { resident: ResidentSketch; household: HouseholdSketch } {
    if (!Number.isInteger(id) || id < 1 || id > this.citizens) throw new Error(`No citizen with id ${id}`);
    for (const household of this.block(Math.floor((id - 1) / BLOCK_SIZE))) {
      const resident = household.members[id - household.firstCitizenId];
      if (resident) return { resident, household };
    }
    throw new Error(`No citizen with id ${id}`);
  }

  /** A random resident at least `minAge` years old on the reference day (e.g. a business owner). */
  pickAdult(rng: Random, minAge = 18, maxAge = 95): { resident: ResidentSketch; household: HouseholdSketch } {
    for (;;) {
      const households = this.block(rng.int(0, blockCount(this.citizens) - 1));
      const adults = households.flatMap((household) =>
        household.members.filter((m) => m.age >= minAge && m.age <= maxAge).map((resident) => ({ resident, household })),
      );
      if (adults.length > 0) return rng.pick(adults);
    }
  }
}
