import type { Random } from '../../../seed/random.js';
import type { WardPlace } from './places.js';

/** Streets of each urban district (by district code), the names residents use in addresses. */
export const DISTRICT_STREETS: Readonly<Record<string, readonly string[]>> = {
  // Liên Chiểu
  '490': [
    'Nguyễn Lương Bằng', 'Tôn Đức Thắng', 'Âu Cơ', 'Nguyễn Sinh Sắc', 'Hoàng Văn Thái', 'Nguyễn Tất Thành', 'Kinh Dương Vương',
    'Lạc Long Quân', 'Ngô Thì Nhậm', 'Nguyễn Chánh', 'Phạm Như Xương', 'Hồ Tùng Mậu', 'Đồng Kè', 'Nam Cao', 'Nguyễn Văn Cừ',
    'Hoàng Thị Loan', 'Mẹ Suốt', 'Trần Đình Tri', 'Nguyễn Khuyến', 'Tạ Quang Bửu',
  ],
  // Thanh Khê
  '491': [
    'Điện Biên Phủ', 'Hà Huy Tập', 'Trần Cao Vân', 'Hoàng Hoa Thám', 'Lê Độ', 'Thái Thị Bôi', 'Dũng Sĩ Thanh Khê', 'Kỳ Đồng',
    'Huỳnh Ngọc Huệ', 'Lý Thái Tông', 'Trần Xuân Lê', 'Hàm Nghi', 'Đỗ Quang', 'Nguyễn Tri Phương', 'Phan Thanh', 'Hải Phòng',
    'Lê Duẩn', 'Nguyễn Văn Linh', 'Trường Chinh',
  ],
  // Hải Châu
  '492': [
    'Bạch Đằng', 'Trần Phú', 'Lê Duẩn', 'Hùng Vương', 'Nguyễn Văn Linh', 'Phan Châu Trinh', 'Lê Lợi', 'Nguyễn Chí Thanh',
    'Ông Ích Khiêm', 'Hoàng Diệu', 'Trưng Nữ Vương', 'Núi Thành', 'Duy Tân', 'Lê Thanh Nghị', 'Phan Đăng Lưu', 'Quang Trung',
    'Lý Tự Trọng', 'Đống Đa', 'Thái Phiên', 'Yên Bái', 'Nguyễn Du', 'Lê Đình Dương', 'Triệu Nữ Vương', 'Pasteur',
    'Lê Hồng Phong', 'Nguyễn Thị Minh Khai', 'Phan Đình Phùng', 'Hoàng Văn Thụ', 'Xô Viết Nghệ Tĩnh', 'Nguyễn Hữu Thọ',
  ],
  // Sơn Trà
  '493': [
    'Ngô Quyền', 'Phạm Văn Đồng', 'Võ Nguyên Giáp', 'Hoàng Sa', 'Lê Văn Duyệt', 'Trần Hưng Đạo', 'Nguyễn Công Trứ', 'Hồ Nghinh',
    'Yết Kiêu', 'Vũ Văn Dũng', 'Phan Bá Phiến', 'Chu Huy Mân', 'Ngô Thì Sĩ', 'Lê Đức Thọ', 'Dương Vân Nga', 'Trần Quang Khải',
    'Lê Hữu Trác', 'Phó Đức Chính', 'Nguyễn Văn Thoại',
  ],
  // Ngũ Hành Sơn
  '494': [
    'Lê Văn Hiến', 'Ngũ Hành Sơn', 'Trường Sa', 'Võ Nguyên Giáp', 'Hồ Xuân Hương', 'Lưu Quang Vũ', 'Mai Đăng Chơn',
    'Trần Đại Nghĩa', 'Nam Kỳ Khởi Nghĩa', 'Châu Thị Vĩnh Tế', 'Lê Quang Đạo', 'Phan Tứ', 'Nguyễn Đình Chiểu', 'Hoài Thanh',
    'Minh Mạng', 'Huyền Trân Công Chúa',
  ],
  // Cẩm Lệ
  '495': [
    'Cách Mạng Tháng 8', 'Ông Ích Đường', 'Tôn Đản', 'Trường Chinh', 'Nguyễn Hữu Thọ', 'Lê Đại Hành', 'Nguyễn Nhàn', 'Phạm Hùng',
    'Yên Thế', 'Thăng Long', 'Lê Trọng Tấn', 'Hồ Nguyên Trừng', 'Nguyễn Phước Lan', 'Lương Định Của', 'Trần Nam Trung',
    'Văn Tiến Dũng',
  ],
};

/** Villages (thôn) of Hòa Vang's communes, by commune name: rural addresses name the village. */
export const COMMUNE_VILLAGES: Readonly<Record<string, readonly string[]>> = {
  'Hòa Bắc': ['Nam Yên', 'Tà Lang', 'Giàn Bí', 'Lộc Mỹ', 'Phò Nam'],
  'Hòa Liên': ['Vân Dương 1', 'Vân Dương 2', 'Quan Nam 1', 'Quan Nam 2', 'Trường Định'],
  'Hòa Ninh': ['An Sơn', 'Trung Nghĩa', 'Sơn Phước', 'Đông Sơn'],
  'Hòa Sơn': ['Phú Thượng', 'An Ngãi Đông', 'An Ngãi Tây', 'Tùng Sơn'],
  'Hòa Nhơn': ['Phước Thuận', 'Phước Hậu', 'Ninh An', 'Thạch Nham Đông', 'Thạch Nham Tây'],
  'Hòa Phú': ['Hòa Phú', 'Hội Phước', 'Đông Lâm', 'Hòa Hải'],
  'Hòa Phong': ['Túy Loan Đông 1', 'Túy Loan Đông 2', 'Túy Loan Tây', 'Cẩm Toại Trung', 'Cẩm Toại Đông'],
  'Hòa Châu': ['Quá Giáng 1', 'Quá Giáng 2', 'Giáng Nam 1', 'Phong Nam', 'Bồ Bản'],
  'Hòa Tiến': ['Yến Nê 1', 'Yến Nê 2', 'La Bông', 'Lệ Sơn 1', 'Dương Sơn'],
  'Hòa Phước': ['Miếu Bông', 'Quán Hà', 'Nhơn Thọ 1', 'Tây An'],
  'Hòa Khương': ['Phú Sơn 1', 'Phú Sơn 2', 'Cẩm Nê', 'Thôn 7', 'Gò Hà'],
};

export function streetOf(rng: Random, ward: WardPlace): string {
  return rng.pick(DISTRICT_STREETS[ward.districtCode] ?? DISTRICT_STREETS['492']!);
}

/**
 * A home address without the ward: "56 Hà Huy Tập", "K12/5 Nguyễn Văn Linh" (a house in a kiệt,
 * Đà Nẵng's word for an alley), "K45/7/3 Lê Độ"; in Hòa Vang's communes, "Tổ 3, thôn Túy Loan Tây".
 */
export function homeAddress(rng: Random, ward: WardPlace): string {
  const villages = COMMUNE_VILLAGES[ward.name];
  if (villages && ward.districtCode === '497') {
    const village = rng.pick(villages);
    const name = village.startsWith('Thôn ') ? village.toLowerCase() : `thôn ${village}`;
    return rng.chance(0.7) ? `Tổ ${rng.int(1, 12)}, ${name}` : name.charAt(0).toUpperCase() + name.slice(1);
  }
  const street = streetOf(rng, ward);
  const kind = rng.next();
  if (kind < 0.35) return `${rng.int(1, 480)} ${street}`;
  if (kind < 0.9) return `K${rng.int(1, 420)}/${rng.int(1, 60)} ${street}`;
  return `K${rng.int(1, 420)}/${rng.int(1, 40)}/${rng.int(1, 20)} ${street}`;
}

/** The full address a citizen record carries: "K12/5 Nguyễn Văn Linh, Phường Thạc Gián, Quận Thanh Khê". */
export function fullAddress(home: string, ward: WardPlace): string {
  return `${home}, ${ward.fullName}, ${ward.districtFullName}`;
}
