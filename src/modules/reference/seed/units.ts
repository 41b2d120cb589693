/**
 * Da Nang's administrative units before the July 2025 reorganisation: 6 urban districts, the
 * rural district Hòa Vang and the island district Hoàng Sa, with 56 wards and communes. District
 * codes are the national statistics codes; ward codes here are the district code and a number.
 * Populations are rounded estimates (about 1.2 million in all), used to weight where people live.
 */
export interface DistrictSeed {
  code: string;
  name: string;
  kind: 'URBAN_DISTRICT' | 'RURAL_DISTRICT' | 'ISLAND_DISTRICT';
  population: number;
  wards: readonly string[];
}

export const CITY = { code: '48', name: 'Đà Nẵng', fullName: 'Thành phố Đà Nẵng' } as const;

export const DISTRICTS: readonly DistrictSeed[] = [
  {
    code: '490', name: 'Liên Chiểu', kind: 'URBAN_DISTRICT', population: 205_000,
    wards: ['Hòa Hiệp Bắc', 'Hòa Hiệp Nam', 'Hòa Khánh Bắc', 'Hòa Khánh Nam', 'Hòa Minh'],
  },
  {
    code: '491', name: 'Thanh Khê', kind: 'URBAN_DISTRICT', population: 186_000,
    wards: ['Tam Thuận', 'Thanh Khê Tây', 'Thanh Khê Đông', 'Xuân Hà', 'Tân Chính', 'Chính Gián', 'Vĩnh Trung', 'Thạc Gián', 'An Khê', 'Hòa Khê'],
  },
  {
    code: '492', name: 'Hải Châu', kind: 'URBAN_DISTRICT', population: 210_000,
    wards: ['Thanh Bình', 'Thuận Phước', 'Thạch Thang', 'Hải Châu I', 'Hải Châu II', 'Phước Ninh', 'Hòa Thuận Tây', 'Hòa Thuận Đông', 'Nam Dương', 'Bình Hiên', 'Bình Thuận', 'Hòa Cường Bắc', 'Hòa Cường Nam'],
  },
  {
    code: '493', name: 'Sơn Trà', kind: 'URBAN_DISTRICT', population: 160_000,
    wards: ['Thọ Quang', 'Nại Hiên Đông', 'Mân Thái', 'An Hải Bắc', 'Phước Mỹ', 'An Hải Tây', 'An Hải Đông'],
  },
  {
    code: '494', name: 'Ngũ Hành Sơn', kind: 'URBAN_DISTRICT', population: 95_000,
    wards: ['Mỹ An', 'Khuê Mỹ', 'Hòa Quý', 'Hòa Hải'],
  },
  {
    code: '495', name: 'Cẩm Lệ', kind: 'URBAN_DISTRICT', population: 170_000,
    wards: ['Khuê Trung', 'Hòa Phát', 'Hòa An', 'Hòa Thọ Tây', 'Hòa Thọ Đông', 'Hòa Xuân'],
  },
  {
    code: '497', name: 'Hòa Vang', kind: 'RURAL_DISTRICT', population: 174_000,
    wards: ['Hòa Bắc', 'Hòa Liên', 'Hòa Ninh', 'Hòa Sơn', 'Hòa Nhơn', 'Hòa Phú', 'Hòa Phong', 'Hòa Châu', 'Hòa Tiến', 'Hòa Phước', 'Hòa Khương'],
  },
  { code: '498', name: 'Hoàng Sa', kind: 'ISLAND_DISTRICT', population: 0, wards: [] },
];

export type UnitLevel = 'CITY' | 'DISTRICT' | 'WARD';

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  fullName: string;
  level: UnitLevel;
  /** Vietnamese designation: Thành phố, Quận, Huyện, Phường, Xã. */
  designation: string;
  parentId: number | null;
  population: number;
}

/** Every unit with a stable id: the city is 1, then each district followed by its wards. */
export function administrativeUnits(): UnitRow[] {
  const rows: UnitRow[] = [
    { id: 1, code: CITY.code, name: CITY.name, fullName: CITY.fullName, level: 'CITY', designation: 'Thành phố', parentId: null, population: 0 },
  ];
  let id = 2;
  for (const district of DISTRICTS) {
    const districtId = id;
    const designation = district.kind === 'URBAN_DISTRICT' ? 'Quận' : 'Huyện';
    rows.push({
      id: districtId, code: district.code, name: district.name, fullName: `${designation} ${district.name}`,
      level: 'DISTRICT', designation, parentId: 1, population: district.population,
    });
    id += 1;
    district.wards.forEach((ward, index) => {
      const wardDesignation = district.kind === 'RURAL_DISTRICT' ? 'Xã' : 'Phường';
      rows.push({
        id, code: `${district.code}${String(index + 1).padStart(2, '0')}`, name: ward, fullName: `${wardDesignation} ${ward}`,
        level: 'WARD', designation: wardDesignation, parentId: districtId,
        population: Math.round(district.population / district.wards.length),
      });
      id += 1;
    });
  }
  rows[0]!.population = rows.filter((r) => r.level === 'DISTRICT').reduce((sum, r) => sum + r.population, 0);
  return rows;
}

/** Wards and communes only (where people live and dossiers are filed). */
export function wards(): UnitRow[] {
  return administrativeUnits().filter((unit) => unit.level === 'WARD');
}
