import { DIGITAL_TECH_INDUSTRY_CODES } from '../db/industries.js';

/**
 * Common VSIC 2018 industries (four-digit codes, Vietnamese names) with how often each is the
 * main industry of an enterprise and of a household business in this seed, and words for names.
 */
export interface Industry {
  code: string;
  name: string;
  /** Relative weight among enterprises (within the digital-tech or the other pool). */
  enterprises: number;
  /** Relative weight among household businesses (0: not run by households). */
  households: number;
  /** Sector words that go into an enterprise name: "Công ty TNHH {sector} {brand}". */
  sectors: readonly string[];
  /** What a household business of the industry calls itself: "Hộ kinh doanh {trade} Lan". */
  trade?: string;
  /** Suffix of web domains: songhan-tech.vn. */
  slug: string;
  digital: boolean;
}

type Entry = Omit<Industry, 'digital'>;

const ENTRIES: readonly Entry[] = [
  // Digital technology (ICT) industries
  { code: '2610', name: 'Sản xuất linh kiện điện tử', enterprises: 3, households: 0, sectors: ['Điện tử', 'Linh kiện Điện tử', 'Vi mạch Bán dẫn'], slug: 'electronics' },
  { code: '2620', name: 'Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính', enterprises: 1, households: 0, sectors: ['Thiết bị Máy tính'], slug: 'computer' },
  { code: '2630', name: 'Sản xuất thiết bị truyền thông', enterprises: 1, households: 0, sectors: ['Thiết bị Viễn thông'], slug: 'telecom' },
  { code: '2640', name: 'Sản xuất sản phẩm điện tử dân dụng', enterprises: 0.5, households: 0, sectors: ['Điện tử Dân dụng'], slug: 'electronics' },
  { code: '4651', name: 'Bán buôn máy vi tính, thiết bị ngoại vi và phần mềm', enterprises: 10, households: 0, sectors: ['Thương mại Tin học', 'Thiết bị Tin học', 'Máy tính'], slug: 'computer' },
  { code: '4652', name: 'Bán buôn thiết bị và linh kiện điện tử, viễn thông', enterprises: 6, households: 0, sectors: ['Điện tử Viễn thông', 'Thiết bị Điện tử'], slug: 'telecom' },
  { code: '4741', name: 'Bán lẻ máy vi tính, thiết bị ngoại vi, phần mềm và thiết bị viễn thông trong các cửa hàng chuyên doanh', enterprises: 6, households: 0, sectors: ['Tin học', 'Điện thoại Di động'], slug: 'mobile' },
  { code: '5820', name: 'Xuất bản phần mềm', enterprises: 6, households: 0, sectors: ['Phần mềm', 'Giải pháp Phần mềm'], slug: 'soft' },
  { code: '6110', name: 'Hoạt động viễn thông có dây', enterprises: 1, households: 0, sectors: ['Viễn thông'], slug: 'telecom' },
  { code: '6120', name: 'Hoạt động viễn thông không dây', enterprises: 1, households: 0, sectors: ['Viễn thông Di động', 'Viễn thông'], slug: 'telecom' },
  { code: '6130', name: 'Hoạt động viễn thông vệ tinh', enterprises: 0.3, households: 0, sectors: ['Viễn thông Vệ tinh'], slug: 'sat' },
  { code: '6190', name: 'Hoạt động viễn thông khác', enterprises: 3, households: 0, sectors: ['Viễn thông', 'Internet'], slug: 'net' },
  { code: '6201', name: 'Lập trình máy vi tính', enterprises: 30, households: 0, sectors: ['Công nghệ', 'Phần mềm', 'Công nghệ Thông tin', 'Giải pháp Công nghệ', 'Công nghệ Số'], slug: 'tech' },
  { code: '6202', name: 'Tư vấn máy vi tính và quản trị hệ thống máy vi tính', enterprises: 8, households: 0, sectors: ['Tư vấn Công nghệ', 'Giải pháp Công nghệ Thông tin', 'Hệ thống Thông tin'], slug: 'it' },
  { code: '6209', name: 'Hoạt động dịch vụ công nghệ thông tin và dịch vụ khác liên quan đến máy vi tính', enterprises: 14, households: 0, sectors: ['Dịch vụ Công nghệ Thông tin', 'Công nghệ', 'Chuyển đổi Số'], slug: 'digital' },
  { code: '6311', name: 'Xử lý dữ liệu, cho thuê và các hoạt động liên quan', enterprises: 6, households: 0, sectors: ['Dữ liệu', 'Điện toán Đám mây', 'Trung tâm Dữ liệu'], slug: 'data' },
  { code: '6312', name: 'Cổng thông tin', enterprises: 3, households: 0, sectors: ['Truyền thông Số', 'Cổng Thông tin'], slug: 'media' },
  // Everything else
  { code: '1010', name: 'Chế biến, bảo quản thịt và các sản phẩm từ thịt', enterprises: 1, households: 1, sectors: ['Thực phẩm', 'Chế biến Thực phẩm'], trade: 'Chả bò', slug: 'food' },
  { code: '1020', name: 'Chế biến, bảo quản thuỷ sản và các sản phẩm từ thuỷ sản', enterprises: 2, households: 1.5, sectors: ['Thủy sản', 'Hải sản'], trade: 'Hải sản khô', slug: 'seafood' },
  { code: '1079', name: 'Sản xuất thực phẩm khác chưa được phân vào đâu', enterprises: 1.5, households: 3, sectors: ['Thực phẩm'], trade: 'Đặc sản', slug: 'food' },
  { code: '1410', name: 'May trang phục (trừ trang phục từ da lông thú)', enterprises: 2, households: 2, sectors: ['May mặc', 'Dệt may'], trade: 'May đo', slug: 'garment' },
  { code: '4101', name: 'Xây dựng nhà để ở', enterprises: 6, households: 0, sectors: ['Xây dựng', 'Đầu tư Xây dựng'], slug: 'build' },
  { code: '4102', name: 'Xây dựng nhà không để ở', enterprises: 3, households: 0, sectors: ['Xây dựng', 'Xây dựng Công trình'], slug: 'construction' },
  { code: '4322', name: 'Lắp đặt hệ thống cấp, thoát nước, hệ thống sưởi và điều hoà không khí', enterprises: 2, households: 1, sectors: ['Cơ điện', 'Kỹ thuật Cơ điện lạnh'], trade: 'Điện lạnh', slug: 'me' },
  { code: '4330', name: 'Hoàn thiện công trình xây dựng', enterprises: 3, households: 1, sectors: ['Nội thất', 'Trang trí Nội thất'], trade: 'Nội thất', slug: 'interior' },
  { code: '4520', name: 'Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác', enterprises: 1.5, households: 2, sectors: ['Ô tô', 'Dịch vụ Ô tô'], trade: 'Sửa chữa ô tô', slug: 'auto' },
  { code: '4542', name: 'Bảo dưỡng và sửa chữa mô tô, xe máy', enterprises: 0.3, households: 5, sectors: ['Xe máy'], trade: 'Sửa xe máy', slug: 'motor' },
  { code: '4610', name: 'Đại lý, môi giới, đấu giá hàng hóa', enterprises: 3, households: 1, sectors: ['Thương mại', 'Thương mại Dịch vụ'], trade: 'Đại lý', slug: 'trading' },
  { code: '4632', name: 'Bán buôn thực phẩm', enterprises: 4, households: 2, sectors: ['Thương mại Thực phẩm', 'Nông sản Thực phẩm'], trade: 'Thực phẩm', slug: 'food' },
  { code: '4649', name: 'Bán buôn đồ dùng khác cho gia đình', enterprises: 3, households: 1, sectors: ['Thương mại', 'Hàng Gia dụng'], trade: 'Đồ gia dụng', slug: 'home' },
  { code: '4659', name: 'Bán buôn máy móc, thiết bị và phụ tùng máy khác', enterprises: 4, households: 0.5, sectors: ['Thiết bị Công nghiệp', 'Máy móc Thiết bị'], trade: 'Phụ tùng', slug: 'equipment' },
  { code: '4663', name: 'Bán buôn vật liệu, thiết bị lắp đặt khác trong xây dựng', enterprises: 5, households: 3, sectors: ['Vật liệu Xây dựng', 'Vật tư Xây dựng'], trade: 'Vật liệu xây dựng', slug: 'materials' },
  { code: '4711', name: 'Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp', enterprises: 1, households: 18, sectors: ['Siêu thị', 'Thương mại'], trade: 'Tạp hóa', slug: 'mart' },
  { code: '4722', name: 'Bán lẻ thực phẩm trong các cửa hàng chuyên doanh', enterprises: 0.5, households: 6, sectors: ['Thực phẩm Sạch'], trade: 'Thực phẩm', slug: 'food' },
  { code: '4771', name: 'Bán lẻ hàng may mặc, giày dép, hàng da và giả da trong các cửa hàng chuyên doanh', enterprises: 1, households: 8, sectors: ['Thời trang'], trade: 'Shop thời trang', slug: 'fashion' },
  { code: '4773', name: 'Bán lẻ hàng hóa khác mới trong các cửa hàng chuyên doanh', enterprises: 0.5, households: 4, sectors: ['Thương mại'], trade: 'Cửa hàng', slug: 'shop' },
  { code: '4932', name: 'Vận tải hành khách đường bộ khác', enterprises: 3, households: 2, sectors: ['Vận tải', 'Vận tải Du lịch'], trade: 'Xe du lịch', slug: 'transport' },
  { code: '4933', name: 'Vận tải hàng hóa bằng đường bộ', enterprises: 4, households: 2, sectors: ['Vận tải', 'Logistics', 'Vận tải Hàng hóa'], trade: 'Vận tải', slug: 'logistics' },
  { code: '5510', name: 'Dịch vụ lưu trú ngắn ngày', enterprises: 5, households: 5, sectors: ['Khách sạn', 'Du lịch Khách sạn', 'Dịch vụ Lưu trú'], trade: 'Nhà nghỉ', slug: 'hotel' },
  { code: '5610', name: 'Nhà hàng và các dịch vụ ăn uống phục vụ lưu động', enterprises: 4, households: 16, sectors: ['Nhà hàng', 'Ẩm thực'], trade: 'Quán ăn', slug: 'restaurant' },
  { code: '5630', name: 'Dịch vụ phục vụ đồ uống', enterprises: 1, households: 10, sectors: ['Cà phê', 'Đồ uống'], trade: 'Cà phê', slug: 'coffee' },
  { code: '6810', name: 'Kinh doanh bất động sản, quyền sử dụng đất thuộc chủ sở hữu, chủ sử dụng hoặc đi thuê', enterprises: 5, households: 0, sectors: ['Bất động sản', 'Đầu tư Bất động sản'], slug: 'land' },
  { code: '6820', name: 'Tư vấn, môi giới, đấu giá bất động sản, đấu giá quyền sử dụng đất', enterprises: 3, households: 1, sectors: ['Bất động sản', 'Địa ốc'], trade: 'Nhà đất', slug: 'realty' },
  { code: '6920', name: 'Hoạt động liên quan đến kế toán, kiểm toán và tư vấn về thuế', enterprises: 2, households: 0, sectors: ['Kế toán', 'Tư vấn Thuế', 'Kiểm toán'], slug: 'accounting' },
  { code: '7020', name: 'Hoạt động tư vấn quản lý', enterprises: 2, households: 0, sectors: ['Tư vấn', 'Tư vấn Quản lý'], slug: 'consulting' },
  { code: '7110', name: 'Hoạt động kiến trúc và tư vấn kỹ thuật có liên quan', enterprises: 4, households: 0, sectors: ['Tư vấn Thiết kế', 'Kiến trúc', 'Tư vấn Xây dựng'], slug: 'design' },
  { code: '7310', name: 'Quảng cáo', enterprises: 3, households: 1, sectors: ['Quảng cáo', 'Truyền thông Quảng cáo'], trade: 'In ấn quảng cáo', slug: 'ads' },
  { code: '7911', name: 'Đại lý du lịch', enterprises: 2, households: 0.5, sectors: ['Du lịch', 'Lữ hành'], trade: 'Đại lý vé', slug: 'travel' },
  { code: '7912', name: 'Điều hành tua du lịch', enterprises: 3, households: 0, sectors: ['Du lịch', 'Du lịch Lữ hành'], slug: 'tours' },
  { code: '8299', name: 'Hoạt động dịch vụ hỗ trợ kinh doanh khác còn lại chưa được phân vào đâu', enterprises: 3, households: 1, sectors: ['Dịch vụ', 'Thương mại Dịch vụ', 'Xuất nhập khẩu'], trade: 'Dịch vụ', slug: 'services' },
  { code: '8559', name: 'Giáo dục khác chưa được phân vào đâu', enterprises: 2, households: 2, sectors: ['Giáo dục', 'Đào tạo', 'Anh ngữ'], trade: 'Dạy kèm', slug: 'edu' },
  { code: '9511', name: 'Sửa chữa máy vi tính và thiết bị ngoại vi', enterprises: 0.3, households: 2, sectors: ['Dịch vụ Máy tính'], trade: 'Sửa chữa máy tính', slug: 'repair' },
  { code: '9602', name: 'Cắt tóc, làm đầu, gội đầu', enterprises: 0.3, households: 6, sectors: ['Làm đẹp'], trade: 'Salon tóc', slug: 'beauty' },
];

const DIGITAL = new Set(DIGITAL_TECH_INDUSTRY_CODES);

export const INDUSTRIES: readonly Industry[] = ENTRIES.map((entry) => ({ ...entry, digital: DIGITAL.has(entry.code) }));

const weighted = (pick: (i: Industry) => number, keep: (i: Industry) => boolean) =>
  INDUSTRIES.filter((i) => keep(i) && pick(i) > 0).map((i) => [i, pick(i)] as const);

/** Main industries of digital technology enterprises. */
export const DIGITAL_INDUSTRIES = weighted((i) => i.enterprises, (i) => i.digital);
/** Main industries of the other enterprises. */
export const OTHER_INDUSTRIES = weighted((i) => i.enterprises, (i) => !i.digital);
/** Main industries of household businesses (never digital-tech enterprises by definition). */
export const HOUSEHOLD_INDUSTRIES = weighted((i) => i.households, (i) => !i.digital);
