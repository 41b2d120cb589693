import { faker as fakerVI } from '@faker-js/faker/locale/vi';
import type { Random } from '../../../seed/random.js';

/**
 * Vietnamese names: family name + middle name + given name. Only faker's Vietnamese word lists
 * are used, read once; rows pick from them with our own seeded Random (never faker's generator),
 * so the names depend on the seed and these pinned lists alone, and picking stays cheap.
 */
const person = fakerVI.definitions.person as unknown as {
  last_name: { generic: string[] };
  first_name: { female: string[]; male: string[] };
};

/**
 * Rough shares of the most frequent family names in Vietnam (Nguyễn about a third). Huỳnh and Võ
 * are added: they are frequent in central Vietnam and missing from faker's list.
 */
const FAMILY_WEIGHTS: Record<string, number> = {
  Nguyễn: 31, Trần: 10, Lê: 9, Phạm: 6, Huỳnh: 5, Võ: 4.5, Hoàng: 3, Phan: 4, Trương: 2, Đặng: 2, Bùi: 2, Đỗ: 1.5,
  Hồ: 2, Ngô: 1.5, Dương: 1, Lý: 0.5,
};
const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = [...new Set([...person.last_name.generic, 'Huỳnh', 'Võ'])].map(
  (name) => [name, FAMILY_WEIGHTS[name] ?? 0.6] as const,
);

/** Compound names from faker ("Quang Huy"): middle + given. */
const MALE_NAMES: readonly string[] = person.first_name.male;
const FEMALE_NAMES: readonly string[] = person.first_name.female;

export type Gender = 'MALE' | 'FEMALE';

export function pickFamilyName(rng: Random): string {
  return rng.weighted(FAMILY_NAMES);
}

/**
 * Middle and given name. Older people often carry the classic middle names Văn (men) and Thị
 * (women) before a single given name: "Nguyễn Văn Quảng", "Trần Thị Lan".
 */
export function pickMiddleAndGiven(rng: Random, gender: Gender, age: number): string {
  const compound = rng.pick(gender === 'MALE' ? MALE_NAMES : FEMALE_NAMES);
  const classic = age >= 45 ? 0.55 : age >= 25 ? 0.3 : 0.12;
  if (!rng.chance(classic)) return compound;
  const given = compound.slice(compound.lastIndexOf(' ') + 1);
  return `${gender === 'MALE' ? 'Văn' : 'Thị'} ${given}`;
}

const folded = new Map<string, string>();

/** Lower-case ASCII without diacritics ("Đặng Thị Ánh" → "dang thi anh"), for e-mail addresses. */
export function asciiFold(text: string): string {
  let out = folded.get(text);
  if (out === undefined) {
    out = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
    // Names repeat a lot; the cache stays small (thousands of distinct names).
    if (folded.size < 100_000) folded.set(text, out);
  }
  return out;
}
