import type { Random } from '../../../seed/random.js';
import { WARDS, WardPicker, type WardPlace } from '../../population/seed/places.js';
import { homeAddress, streetOf } from '../../population/seed/streets.js';
import type { Industry } from './industries.js';

/** Firms cluster in the centre: firms per resident by district (Hải Châu highest, Hòa Vang lowest). */
const FIRM_DENSITY: Readonly<Record<string, number>> = { '492': 3, '491': 1.6, '493': 1.6, '494': 1.3, '490': 1.2, '495': 1, '497': 0.4 };

export const ENTERPRISE_WARDS = new WardPicker((ward) => ward.population * (FIRM_DENSITY[ward.districtCode] ?? 1));

function ward(name: string): WardPlace {
  const found = WARDS.find((w) => w.name === name);
  if (!found) throw new Error(`No ward named ${name}`);
  return found;
}

/** Industrial zones and their wards; manufacturers are often located in one. */
const INDUSTRIAL_ZONES: ReadonlyArray<readonly [string, string]> = [
  ['KCN Hòa Khánh', 'Hòa Khánh Bắc'],
  ['KCN Liên Chiểu', 'Hòa Hiệp Bắc'],
  ['KCN Hòa Cầm', 'Hòa Thọ Tây'],
  ['KCN Đà Nẵng', 'An Hải Bắc'],
  ['KCN Dịch vụ Thủy sản Đà Nẵng', 'Thọ Quang'],
];

export interface BusinessPlace {
  ward: WardPlace;
  address: string;
}

function street(rng: Random, at: WardPlace): string {
  return `${rng.int(1, 480)} ${streetOf(rng, at)}`;
}

/** Where an enterprise has its head office, given its industry. */
export function enterprisePlace(rng: Random, industry: Industry): BusinessPlace {
  const manufacturing = industry.code < '3300';
  if (industry.digital && manufacturing && rng.chance(0.6)) {
    return { ward: ward('Hòa Liên'), address: `Lô ${rng.pick(['A', 'B', 'C', 'D'])}${rng.int(1, 30)}, Khu công nghệ cao Đà Nẵng` };
  }
  if (industry.digital && rng.chance(0.2)) {
    return { ward: ward('Thạch Thang'), address: `Tầng ${rng.int(2, 12)}, Công viên phần mềm Đà Nẵng, 02 Quang Trung` };
  }
  if (manufacturing && rng.chance(0.6)) {
    const [zone, wardName] = industry.code === '1020' ? INDUSTRIAL_ZONES[4]! : rng.pick(INDUSTRIAL_ZONES.slice(0, 4));
    return { ward: ward(wardName), address: `Lô ${rng.pick(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])}${rng.int(1, 40)}, ${zone}` };
  }
  const at = ENTERPRISE_WARDS.pick(rng);
  if (at.districtCode === '497') return { ward: at, address: homeAddress(rng, at) };
  const style = rng.next();
  if (style < 0.2) return { ward: at, address: `Tầng ${rng.int(2, 15)}, ${street(rng, at)}` };
  if (style < 0.35) return { ward: at, address: `K${rng.int(1, 420)}/${rng.int(1, 60)} ${streetOf(rng, at)}` };
  return { ward: at, address: street(rng, at) };
}

/** A household business trades near home: mostly in the owner's ward, on a street or in a kiệt. */
export function householdBusinessPlace(rng: Random, ownerWard: WardPlace): BusinessPlace {
  const at = rng.chance(0.7) ? ownerWard : ENTERPRISE_WARDS.pick(rng);
  if (at.districtCode === '497' || rng.chance(0.25)) return { ward: at, address: homeAddress(rng, at) };
  return { ward: at, address: street(rng, at) };
}
