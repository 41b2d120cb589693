import type { BusinessStatus, LegalForm } from '../db/tables.js';
import { DIGITAL_TECH_PER_THOUSAND_RESIDENTS } from '../db/industries.js';
import { Random } from '../../../seed/random.js';
import type { Scale } from '../../../seed/scales.js';
import { asciiFold } from '../../population/seed/names.js';
import { dayToIso, ResidentModel, TODAY_DAY, type ResidentSketch } from '../../population/seed/residents.js';
import { EnterpriseCodes, HouseholdBusinessCodes } from './codes.js';
import { DIGITAL_INDUSTRIES, HOUSEHOLD_INDUSTRIES, OTHER_INDUSTRIES, type Industry } from './industries.js';
import { DomainNamer, EnterpriseNamer } from './naming.js';
import { enterprisePlace, householdBusinessPlace } from './places.js';

export const BUSINESS_COLUMNS = [
  'id', 'kind', 'code', 'name', 'legal_form', 'industry_code', 'industry_name', 'digital_tech', 'status', 'registered_on',
  'charter_capital', 'address', 'ward_id', 'legal_representative_id', 'phone', 'email', 'website',
] as const;

/** The article's figure: 2.3 digital technology enterprises per 1,000 residents, exactly. */
export function digitalTechTarget(scale: Scale): number {
  return Math.min(scale.enterprises, Math.round((scale.citizens * DIGITAL_TECH_PER_THOUSAND_RESIDENTS) / 1000));
}

/**
 * Whether enterprise `index` (1-based, of `total`) is one of the `target` digital-tech ones:
 * evenly spread and exactly `target` in all (the count of k·target/total steps).
 */
export function isDigitalTech(index: number, target: number, total: number): boolean {
  return Math.floor((index * target) / total) > Math.floor(((index - 1) * target) / total);
}

const DAY_MS = 86_400_000;
const REGISTER_OPENS = Date.UTC(1993, 0, 1) / DAY_MS;

/** A registration day after the representative came of age; the register grows year on year. */
function registrationDay(rng: Random, representative: ResidentSketch): number {
  const adult = Date.UTC(new Date(representative.birthDay * DAY_MS).getUTCFullYear() + 18, 0, 1) / DAY_MS;
  const from = Math.max(REGISTER_OPENS, adult);
  // A uniform draw to the power 0.7 leans towards recent years, as the register's growth does.
  return Math.min(TODAY_DAY, Math.floor(from + rng.next() ** 0.7 * (TODAY_DAY - from)));
}

function status(rng: Random, registeredDay: number): BusinessStatus {
  const young = TODAY_DAY - registeredDay < 730;
  return rng.weighted<BusinessStatus>([['ACTIVE', young ? 92 : 80], ['SUSPENDED', young ? 4 : 7], ['DISSOLVED', young ? 4 : 13]]);
}

/** A standard normal draw (Box-Muller). */
function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

const CAPITAL: Partial<Record<LegalForm, readonly [median: number, spread: number]>> = {
  LLC_ONE_MEMBER: [1.5e9, 1.1],
  LLC_MULTI_MEMBER: [3e9, 1.2],
  JOINT_STOCK: [12e9, 1.5],
  PARTNERSHIP: [2e9, 0.8],
};

/** Charter capital in VND, log-normal by legal form, rounded to two significant digits as declared. */
function charterCapital(rng: Random, form: LegalForm): number | null {
  const params = CAPITAL[form];
  if (!params) return null;
  const raw = Math.min(5e13, Math.max(1e8, params[0] * Math.exp(params[1] * normal(rng))));
  const unit = 10 ** (Math.floor(Math.log10(raw)) - 1);
  return Math.round(raw / unit) * unit;
}

function landline(rng: Random): string {
  return `0236${rng.pick(['3', '3', '6', '2'])}${rng.digits(6)}`;
}

const MOBILE = ['090', '093', '097', '098', '091', '094', '088', '086', '035', '038', '077', '079', '083', '084', '070'];

function mobile(rng: Random): string {
  return `${rng.pick(MOBILE)}${rng.digits(7)}`;
}

const LEGAL_FORMS: ReadonlyArray<readonly [LegalForm, number]> = [
  ['LLC_ONE_MEMBER', 46], ['LLC_MULTI_MEMBER', 25], ['JOINT_STOCK', 21], ['PRIVATE', 7.5], ['PARTNERSHIP', 0.5],
];

/** Enterprises (ids 1..E), then household businesses (ids E+1..E+H). */
export function* businessRows(seed: number, scale: Scale): Generator<unknown[]> {
  const residents = new ResidentModel(seed, scale.citizens);
  const rng = Random.for(seed, 'business.enterprises');
  const names = new EnterpriseNamer();
  const domains = new DomainNamer();
  const codes = new EnterpriseCodes();
  const digitalTarget = digitalTechTarget(scale);
  const representatives: ResidentSketch[] = [];

  for (let id = 1; id <= scale.enterprises; id += 1) {
    const digital = isDigitalTech(id, digitalTarget, scale.enterprises);
    const industry: Industry = rng.weighted(digital ? DIGITAL_INDUSTRIES : OTHER_INDUSTRIES);
    // Some people run several companies: about one enterprise in ten shares an earlier one's representative.
    const representative = representatives.length > 0 && rng.chance(0.1)
      ? rng.pick(representatives)
      : residents.pickAdult(rng, 22, 75).resident;
    representatives.push(representative);
    const form = rng.weighted(LEGAL_FORMS);
    const registered = registrationDay(rng, representative);
    const { name, brand } = names.next(rng, form, industry.sectors, digital);
    const place = enterprisePlace(rng, industry);
    const website = rng.chance(digital ? 0.85 : 0.3) ? domains.next(rng, brand, industry.slug) : null;
    const email = website
      ? `${rng.pick(['info', 'contact', 'lienhe', 'sales'])}@${website}`
      : rng.chance(0.6) ? `${asciiFold(brand).replace(/[^a-z0-9]/g, '')}${industry.slug}${rng.int(1, 99)}@gmail.com` : null;
    yield [
      id, 'ENTERPRISE', codes.next(rng, new Date(registered * DAY_MS).getUTCFullYear()), name, form, industry.code, industry.name,
      digital, status(rng, registered), dayToIso(registered), charterCapital(rng, form), place.address, place.ward.id,
      representative.id, rng.chance(0.6) ? landline(rng) : mobile(rng), email, website ? `https://${website}` : null,
    ];
  }

  const households = Random.for(seed, 'business.households');
  const registrations = new HouseholdBusinessCodes();
  for (let n = 1; n <= scale.householdBusinesses; n += 1) {
    const { resident: owner, household } = residents.pickAdult(households, 20, 75);
    const industry = households.weighted(HOUSEHOLD_INDUSTRIES);
    const registered = registrationDay(households, owner);
    const place = householdBusinessPlace(households, household.ward);
    const given = owner.fullName.slice(owner.fullName.lastIndexOf(' ') + 1);
    const name = industry.trade && households.chance(0.45) ? `Hộ kinh doanh ${industry.trade} ${given}` : `Hộ kinh doanh ${owner.fullName}`;
    const email = households.chance(0.15) ? `${asciiFold(owner.fullName).replace(/ /g, '')}${households.int(1, 999)}@gmail.com` : null;
    yield [
      scale.enterprises + n, 'HOUSEHOLD_BUSINESS', registrations.next(households, place.ward.districtCode), name, 'HOUSEHOLD',
      industry.code, industry.name, false, status(households, registered), dayToIso(registered), null, place.address,
      place.ward.id, owner.id, households.chance(0.85) ? mobile(households) : null, email, null,
    ];
  }
}
