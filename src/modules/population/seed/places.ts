import type { Random } from '../../../seed/random.js';
import { administrativeUnits } from '../../reference/seed/units.js';

/** A ward or commune with what addresses need: its district and names, from the reference seed. */
export interface WardPlace {
  id: number;
  code: string;
  name: string;
  /** "Phường Thạc Gián" / "Xã Hòa Phong". */
  fullName: string;
  districtCode: string;
  /** "Quận Thanh Khê" / "Huyện Hòa Vang". */
  districtFullName: string;
  population: number;
}

function loadWards(): WardPlace[] {
  const units = administrativeUnits();
  const byId = new Map(units.map((u) => [u.id, u]));
  return units
    .filter((u) => u.level === 'WARD')
    .map((u) => {
      const district = byId.get(u.parentId!)!;
      return {
        id: u.id, code: u.code, name: u.name, fullName: u.fullName,
        districtCode: district.code, districtFullName: district.fullName, population: u.population,
      };
    });
}

export const WARDS: readonly WardPlace[] = loadWards();

const WARD_BY_ID = new Map(WARDS.map((w) => [w.id, w]));

export function wardById(id: number): WardPlace {
  const ward = WARD_BY_ID.get(id);
  if (!ward) throw new Error(`No ward with id ${id}`);
  return ward;
}

/** Picks wards in proportion to a weight, with a cumulative table (56 entries, built once). */
export class WardPicker {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(weight: (ward: WardPlace) => number) {
    let sum = 0;
    for (const ward of WARDS) {
      sum += weight(ward);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(rng: Random): WardPlace {
    const x = rng.next() * this.total;
    for (let i = 0; i < this.cumulative.length; i += 1) if (x < this.cumulative[i]!) return WARDS[i]!;
    return WARDS[WARDS.length - 1]!;
  }
}

/** Where people live: by the reference seed's population estimates. */
export const RESIDENCE_WARDS = new WardPicker((ward) => ward.population);
