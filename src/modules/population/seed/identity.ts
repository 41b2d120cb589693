import type { Random } from '../../../seed/random.js';
import { asciiFold, type Gender } from './names.js';

/** A well-mixed 32-bit hash of an integer (the murmur3 finaliser). */
function scramble(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * National ID (căn cước) numbers: province code (3 digits), century and gender (0 man / 1 woman
 * born in the 1900s, 2 / 3 in the 2000s), the last two digits of the birth year, then a 6-digit
 * serial. Serials count per (province, century-gender, year) and are scrambled by a bijection
 * modulo 10^6, so numbers look random and can never repeat.
 */
export class NationalIdIssuer {
  private readonly issued = new Map<string, number>();

  constructor(private readonly salt: number) {}

  issue(province: string, gender: Gender, birthYear: number): string {
    const century = birthYear >= 2000 ? 2 : 0;
    const prefix = `${province}${century + (gender === 'FEMALE' ? 1 : 0)}${String(birthYear % 100).padStart(2, '0')}`;
    const count = this.issued.get(prefix) ?? 0;
    this.issued.set(prefix, count + 1);
    // 654321 is coprime with 10^6, so count -> serial is one-to-one below a million per prefix.
    const serial = (count * 654_321 + scramble(Number(prefix) ^ this.salt)) % 1_000_000;
    return `${prefix}${String(serial).padStart(6, '0')}`;
  }
}

/** Mobile prefixes of the Vietnamese networks (Viettel, VinaPhone, MobiFone, Vietnamobile). */
const MOBILE_PREFIXES = [
  '086', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039',
  '088', '091', '094', '081', '082', '083', '084', '085',
  '089', '090', '093', '070', '076', '077', '078', '079',
  '092', '056', '058',
];

/** A 10-digit mobile number; the last 7 digits are a bijection of the citizen id, so none repeat. */
export function mobileNumber(rng: Random, citizenId: number, salt: number): string {
  // 7654321 is coprime with 10^7: distinct ids below ten million give distinct tails.
  const tail = (citizenId * 7_654_321 + (scramble(salt) % 10_000_000)) % 10_000_000;
  return `${rng.pick(MOBILE_PREFIXES)}${String(tail).padStart(7, '0')}`;
}

const MAIL_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['gmail.com', 80], ['yahoo.com', 7], ['outlook.com', 5], ['icloud.com', 4], ['hotmail.com', 4],
];

/** A personal e-mail built from the name, e.g. "quang.nguyen87@gmail.com" or "nguyenvanquang1207@gmail.com". */
export function personalEmail(rng: Random, fullName: string, birthYear: number): string {
  const parts = asciiFold(fullName).split(' ');
  const family = parts[0]!;
  const given = parts[parts.length - 1]!;
  const yy = String(birthYear % 100).padStart(2, '0');
  let local: string;
  const style = rng.next();
  if (style < 0.35) local = `${given}${family}${yy}`;
  else if (style < 0.6) local = `${given}.${family}${rng.int(1, 999)}`;
  else if (style < 0.85) local = `${parts.join('')}${rng.int(10, 9999)}`;
  else local = `${family}${given}.${birthYear}`;
  return `${local}@${rng.weighted(MAIL_DOMAINS)}`;
}
