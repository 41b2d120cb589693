import type { Random } from '../../../seed/random.js';
import { asciiFold } from '../../population/seed/names.js';
import type { LegalForm } from '../db/tables.js';

/** Da Nang landmarks that companies like to name themselves after. */
const PLACES = [
  'Sông Hàn', 'Mỹ Khê', 'Sơn Trà', 'Ngũ Hành Sơn', 'Hải Vân', 'Bà Nà', 'Non Nước', 'Cù Lao Chàm', 'Tiên Sa', 'Hàn Giang',
  'Thanh Khê', 'Hòa Khánh', 'Miền Trung', 'Trường Sa', 'Hoàng Sa', 'Cầu Rồng', 'Rồng Vàng', 'Phương Đông', 'Đại Dương',
  'Biển Đông', 'Bạch Đằng', 'Sông Cu Đê', 'Túy Loan', 'Nam Ô', 'Thuận Phước', 'Hải Châu', 'Liên Chiểu', 'Non Sông',
];

/** Auspicious syllables paired into brand names: Minh Phát, Tân Hưng, Phú Thịnh. */
const FIRST = [
  'An', 'Bảo', 'Đại', 'Đức', 'Gia', 'Hải', 'Hòa', 'Hoàng', 'Hưng', 'Khang', 'Kim', 'Minh', 'Nam', 'Ngọc', 'Phú', 'Phúc',
  'Phước', 'Quang', 'Tân', 'Thái', 'Thành', 'Thiên', 'Thịnh', 'Trung', 'Trường', 'Việt', 'Vĩnh', 'Xuân', 'Hồng', 'Sao',
];
const SECOND = [
  'An', 'Bình', 'Dũng', 'Đạt', 'Gia', 'Hà', 'Hải', 'Hưng', 'Khang', 'Khoa', 'Lộc', 'Long', 'Minh', 'Nam', 'Phát', 'Phong',
  'Phúc', 'Quang', 'Sơn', 'Tài', 'Thành', 'Thịnh', 'Tiến', 'Trí', 'Tín', 'Việt', 'Vinh', 'Mai', 'Anh', 'Nguyên',
];
const LETTERS = 'ABCDEGHKLMNPQSTVX';

/** Words that go after the sector: some companies add where they are or reach. */
const QUALIFIERS = ['Đà Nẵng', 'Miền Trung', 'Việt Nam', 'Quốc tế', 'Toàn Cầu', 'Châu Á'];

function brand(rng: Random, digital: boolean): string {
  const style = rng.next();
  if (style < 0.3) return rng.pick(PLACES);
  if (style < (digital ? 0.6 : 0.85)) return `${rng.pick(FIRST)} ${rng.pick(SECOND)}`;
  // Acronyms (DTS, HPT, VNC): common for technology companies.
  let acronym = '';
  for (let i = rng.int(2, 4); i > 0; i -= 1) acronym += LETTERS.charAt(rng.int(0, LETTERS.length - 1));
  return acronym;
}

function formPrefix(rng: Random, form: LegalForm): string {
  switch (form) {
    case 'LLC_ONE_MEMBER': return rng.chance(0.35) ? 'Công ty TNHH MTV' : 'Công ty TNHH';
    case 'LLC_MULTI_MEMBER': return 'Công ty TNHH';
    case 'JOINT_STOCK': return 'Công ty Cổ phần';
    case 'PRIVATE': return 'Doanh nghiệp tư nhân';
    case 'PARTNERSHIP': return 'Công ty Hợp danh';
    case 'HOUSEHOLD': return 'Hộ kinh doanh';
  }
}

export interface EnterpriseName {
  name: string;
  /** The distinctive part, for web domains and e-mail addresses. */
  brand: string;
}

/**
 * Enterprise names are unique within the register (the law forbids identical names); a name
 * already taken is redrawn, then qualified ("... Miền Trung"), then numbered.
 */
export class EnterpriseNamer {
  private readonly taken = new Set<string>();

  next(rng: Random, form: LegalForm, sectors: readonly string[], digital: boolean): EnterpriseName {
    const prefix = formPrefix(rng, form);
    for (let attempt = 0; ; attempt += 1) {
      const mark = brand(rng, digital);
      let name = `${prefix} ${rng.pick(sectors)} ${mark}`;
      if (attempt >= 3) name = `${name} ${attempt < 9 ? rng.pick(QUALIFIERS) : attempt}`;
      // Uniqueness ignores the legal form and case, as the registry does.
      const key = asciiFold(name.slice(prefix.length));
      if (this.taken.has(key)) continue;
      this.taken.add(key);
      return { name, brand: mark };
    }
  }
}

/** Web domains and mailbox names from a brand: "Sông Hàn" + "tech" → songhantech.vn. */
export class DomainNamer {
  private readonly taken = new Set<string>();

  next(rng: Random, brand: string, slug: string): string {
    const base = `${asciiFold(brand).replace(/[^a-z0-9]/g, '')}${slug}`;
    let label = base;
    for (let n = 2; this.taken.has(label); n += 1) label = `${base}${n}`;
    this.taken.add(label);
    return `${label}${rng.weighted([['.vn', 4], ['.com.vn', 3], ['.com', 3]] as const)}`;
  }
}
