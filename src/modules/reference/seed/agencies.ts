import { administrativeUnits } from './units.js';

export type AgencyKind = 'DEPARTMENT' | 'DISTRICT_COMMITTEE' | 'CENTRE';

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
  kind: AgencyKind;
  /** The administrative unit the agency serves: the city, or its district. */
  unitId: number;
  email: string;
  website: string;
}

const CITY_AGENCIES: ReadonlyArray<readonly [string, string, AgencyKind]> = [
  ['STTTT', 'Sở Thông tin và Truyền thông', 'DEPARTMENT'],
  ['SKHDT', 'Sở Kế hoạch và Đầu tư', 'DEPARTMENT'],
  ['STP', 'Sở Tư pháp', 'DEPARTMENT'],
  ['STNMT', 'Sở Tài nguyên và Môi trường', 'DEPARTMENT'],
  ['SXD', 'Sở Xây dựng', 'DEPARTMENT'],
  ['SGTVT', 'Sở Giao thông vận tải', 'DEPARTMENT'],
  ['SYT', 'Sở Y tế', 'DEPARTMENT'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo', 'DEPARTMENT'],
  ['SLDTBXH', 'Sở Lao động - Thương binh và Xã hội', 'DEPARTMENT'],
  ['SCT', 'Sở Công Thương', 'DEPARTMENT'],
  ['STC', 'Sở Tài chính', 'DEPARTMENT'],
  ['SNV', 'Sở Nội vụ', 'DEPARTMENT'],
  ['SVHTT', 'Sở Văn hóa và Thể thao', 'DEPARTMENT'],
  ['SDL', 'Sở Du lịch', 'DEPARTMENT'],
  ['SNNPTNT', 'Sở Nông nghiệp và Phát triển nông thôn', 'DEPARTMENT'],
  ['SKHCN', 'Sở Khoa học và Công nghệ', 'DEPARTMENT'],
  ['IOC', 'Trung tâm Giám sát, điều hành đô thị thông minh (IOC)', 'CENTRE'],
  ['TTPVHCC', 'Trung tâm Phục vụ hành chính công thành phố', 'CENTRE'],
  ['DSAC', 'Trung tâm Vi mạch bán dẫn và Trí tuệ nhân tạo Đà Nẵng (DSAC)', 'CENTRE'],
];

const DISTRICT_CODES: Record<string, string> = {
  '490': 'UBND-LC', '491': 'UBND-TK', '492': 'UBND-HC', '493': 'UBND-ST', '494': 'UBND-NHS', '495': 'UBND-CL', '497': 'UBND-HV',
};

/** The city's departments and centres (ids 1..19), then the district people's committees. */
export function agencies(): AgencyRow[] {
  const rows: AgencyRow[] = CITY_AGENCIES.map(([code, name, kind], index) => ({
    id: index + 1, code, name, kind, unitId: 1,
    email: `${code.toLowerCase()}@danang.gov.vn`,
    website: `https://${code.toLowerCase()}.danang.gov.vn`,
  }));
  for (const unit of administrativeUnits()) {
    const code = DISTRICT_CODES[unit.code];
    if (unit.level !== 'DISTRICT' || !code) continue;
    rows.push({
      id: rows.length + 1, code, name: `Ủy ban nhân dân ${unit.fullName.replace('Quận', 'quận').replace('Huyện', 'huyện')}`,
      kind: 'DISTRICT_COMMITTEE', unitId: unit.id,
      email: `${code.toLowerCase().replace('ubnd-', 'ubnd')}@danang.gov.vn`,
      website: `https://${code.toLowerCase().replace('ubnd-', '')}.danang.gov.vn`,
    });
  }
  return rows;
}
