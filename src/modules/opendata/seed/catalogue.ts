import type { ResourceFormat, UpdateFrequency } from '../db/tables.js';

/**
 * What Da Nang's open-data portal publishes, by category: subjects that become dataset titles
 * once given a place (the city or a district) and/or a year. The expansion of ~130 subjects over
 * 7 districts and 6 years gives more distinct titles than the ~1,200 datasets the article counts,
 * and a seeded draw picks among them.
 */

/** How a subject is scoped: city-wide, per district, per year, per district and year. */
export type Scope = 'city' | 'district' | 'year' | 'districtYear';

export interface SubjectSeed {
  /** The title stem; `{place}` is replaced by the place, otherwise "trên địa bàn <place>" follows. */
  text: string;
  scopes: readonly Scope[];
  frequency: UpdateFrequency;
  /** The formats it is usually published in, the main one first. */
  formats: readonly ResourceFormat[];
  tags: readonly string[];
  /** Agency code when not the category's department. */
  publisher?: string;
  /** District names when only some districts have the subject (coast, farmland, forest). */
  districts?: readonly string[];
}

export interface CategorySeed {
  name: string;
  /** Relative share of the catalogue (public administration and population data lead). */
  weight: number;
  /** The department that publishes most of the category's datasets. */
  publisher: string;
  tags: readonly string[];
  subjects: readonly SubjectSeed[];
}

const COAST = ['Liên Chiểu', 'Thanh Khê', 'Sơn Trà', 'Ngũ Hành Sơn'];
const FARMLAND = ['Hòa Vang', 'Cẩm Lệ', 'Liên Chiểu', 'Ngũ Hành Sơn'];
const FOREST = ['Hòa Vang', 'Liên Chiểu', 'Sơn Trà'];

export const CATEGORIES: readonly CategorySeed[] = [
  {
    name: 'Giao thông', weight: 1, publisher: 'SGTVT', tags: ['giao thông'],
    subjects: [
      { text: 'Danh sách tuyến xe buýt', scopes: ['city'], frequency: 'MONTHLY', formats: ['GeoJSON', 'CSV'], tags: ['xe buýt', 'vận tải công cộng'] },
      { text: 'Vị trí điểm dừng, nhà chờ xe buýt', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['GeoJSON', 'CSV'], tags: ['xe buýt', 'bản đồ'] },
      { text: 'Số liệu lưu lượng phương tiện tại các nút giao thông trọng điểm', scopes: ['city', 'year'], frequency: 'DAILY', formats: ['API', 'CSV'], tags: ['lưu lượng', 'IOC'], publisher: 'IOC' },
      { text: 'Danh sách bãi đỗ xe công cộng', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['GeoJSON', 'CSV'], tags: ['bãi đỗ xe'] },
      { text: 'Thống kê tai nạn giao thông', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'QUARTERLY', formats: ['XLSX', 'PDF'], tags: ['tai nạn giao thông', 'an toàn giao thông'] },
      { text: 'Danh mục tên đường, phố và công trình công cộng', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'XLSX'], tags: ['tên đường'] },
      { text: 'Vị trí camera giám sát giao thông', scopes: ['city', 'district'], frequency: 'IRREGULAR', formats: ['GeoJSON'], tags: ['camera', 'IOC'], publisher: 'IOC' },
      { text: 'Danh sách điểm ùn tắc giao thông thường xuyên', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX', 'GeoJSON'], tags: ['ùn tắc'] },
      { text: 'Số liệu đăng ký phương tiện giao thông cơ giới', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['phương tiện', 'đăng ký xe'] },
      { text: 'Danh sách cơ sở đào tạo, sát hạch lái xe', scopes: ['city'], frequency: 'YEARLY', formats: ['CSV'], tags: ['lái xe'] },
    ],
  },
  {
    name: 'Y tế', weight: 1, publisher: 'SYT', tags: ['y tế'],
    subjects: [
      { text: 'Danh sách cơ sở khám bệnh, chữa bệnh', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['CSV', 'GeoJSON'], tags: ['bệnh viện', 'phòng khám'] },
      { text: 'Danh sách nhà thuốc, quầy thuốc đạt chuẩn GPP', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['nhà thuốc', 'dược'] },
      { text: 'Danh sách trạm y tế phường, xã', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['trạm y tế', 'y tế cơ sở'] },
      { text: 'Số liệu tiêm chủng mở rộng', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['tiêm chủng'] },
      { text: 'Thống kê số ca mắc sốt xuất huyết', scopes: ['city', 'district', 'year'], frequency: 'WEEKLY', formats: ['CSV', 'API'], tags: ['sốt xuất huyết', 'dịch bệnh'] },
      { text: 'Danh sách cơ sở đủ điều kiện an toàn thực phẩm', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['an toàn thực phẩm'] },
      { text: 'Số giường bệnh tại các bệnh viện công lập', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['giường bệnh', 'bệnh viện'] },
      { text: 'Tỷ lệ người dân có hồ sơ sức khỏe điện tử', scopes: ['city', 'district', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['hồ sơ sức khỏe điện tử', 'chuyển đổi số'] },
      { text: 'Danh sách người hành nghề khám bệnh, chữa bệnh được cấp chứng chỉ', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['chứng chỉ hành nghề'] },
      { text: 'Danh sách cơ sở y tế triển khai bệnh án điện tử', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['bệnh án điện tử', 'chuyển đổi số'] },
    ],
  },
  {
    name: 'Giáo dục', weight: 1, publisher: 'SGDDT', tags: ['giáo dục'],
    subjects: [
      { text: 'Danh sách trường mầm non', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'GeoJSON'], tags: ['mầm non', 'trường học'] },
      { text: 'Danh sách trường tiểu học', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'GeoJSON'], tags: ['tiểu học', 'trường học'] },
      { text: 'Danh sách trường trung học cơ sở', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'GeoJSON'], tags: ['trung học cơ sở', 'trường học'] },
      { text: 'Danh sách trường trung học phổ thông', scopes: ['city'], frequency: 'YEARLY', formats: ['CSV', 'GeoJSON'], tags: ['trung học phổ thông', 'trường học'] },
      { text: 'Kết quả tuyển sinh vào lớp 10 công lập', scopes: ['year'], frequency: 'YEARLY', formats: ['XLSX', 'PDF'], tags: ['tuyển sinh'] },
      { text: 'Thống kê số lượng học sinh theo cấp học', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['học sinh', 'thống kê'] },
      { text: 'Danh sách cơ sở giáo dục nghề nghiệp', scopes: ['city'], frequency: 'YEARLY', formats: ['CSV'], tags: ['giáo dục nghề nghiệp'], publisher: 'SLDTBXH' },
      { text: 'Kết quả kỳ thi tốt nghiệp trung học phổ thông', scopes: ['year'], frequency: 'YEARLY', formats: ['PDF', 'XLSX'], tags: ['thi tốt nghiệp'] },
      { text: 'Danh sách trung tâm ngoại ngữ, tin học', scopes: ['city', 'district'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['ngoại ngữ', 'tin học'] },
      { text: 'Danh sách cơ sở giáo dục ngoài công lập', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['ngoài công lập', 'trường học'] },
      { text: 'Số liệu đội ngũ giáo viên theo cấp học', scopes: ['city', 'district', 'year'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['giáo viên', 'thống kê'] },
    ],
  },
  {
    name: 'Du lịch', weight: 0.9, publisher: 'SDL', tags: ['du lịch'],
    subjects: [
      { text: 'Danh sách cơ sở lưu trú du lịch', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['CSV', 'GeoJSON'], tags: ['cơ sở lưu trú', 'khách sạn'] },
      { text: 'Danh sách doanh nghiệp kinh doanh dịch vụ lữ hành', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['lữ hành'] },
      { text: 'Danh sách điểm tham quan du lịch', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'JSON'], tags: ['điểm tham quan', 'bản đồ'] },
      { text: 'Số liệu lượt khách du lịch đến Đà Nẵng', scopes: ['year'], frequency: 'MONTHLY', formats: ['XLSX', 'API'], tags: ['lượt khách', 'thống kê'] },
      { text: 'Danh sách hướng dẫn viên du lịch được cấp thẻ', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['hướng dẫn viên'] },
      { text: 'Danh sách nhà hàng đạt tiêu chuẩn phục vụ khách du lịch', scopes: ['city', 'district'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['nhà hàng', 'ẩm thực'] },
      { text: 'Lịch sự kiện, lễ hội du lịch', scopes: ['year'], frequency: 'IRREGULAR', formats: ['JSON', 'PDF'], tags: ['sự kiện', 'lễ hội'] },
      { text: 'Công suất sử dụng phòng của cơ sở lưu trú', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['công suất phòng', 'khách sạn'] },
      { text: 'Danh sách bãi tắm công cộng và trạm cứu hộ', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['bãi biển', 'cứu hộ'], districts: COAST },
      { text: 'Danh sách cơ sở lưu trú du lịch được công nhận hạng sao', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['cơ sở lưu trú', 'hạng sao'] },
      { text: 'Danh sách điểm mua sắm đạt chuẩn phục vụ khách du lịch', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'GeoJSON'], tags: ['mua sắm'] },
      { text: 'Số liệu doanh thu từ hoạt động du lịch', scopes: ['year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['doanh thu du lịch', 'thống kê'] },
      { text: 'Danh mục tour, tuyến du lịch', scopes: ['city'], frequency: 'QUARTERLY', formats: ['JSON', 'PDF'], tags: ['tour du lịch'] },
      { text: 'Danh sách điểm du lịch cộng đồng', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['du lịch cộng đồng'], districts: ['Hòa Vang', 'Sơn Trà', 'Ngũ Hành Sơn', 'Liên Chiểu'] },
      { text: 'Danh sách khu, điểm vui chơi giải trí', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['vui chơi giải trí'] },
    ],
  },
  {
    name: 'Môi trường', weight: 1, publisher: 'STNMT', tags: ['môi trường'],
    subjects: [
      { text: 'Số liệu quan trắc chất lượng không khí', scopes: ['city', 'year'], frequency: 'DAILY', formats: ['API', 'CSV'], tags: ['không khí', 'quan trắc', 'AQI'] },
      { text: 'Số liệu quan trắc chất lượng nước biển ven bờ', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['nước biển', 'quan trắc'] },
      { text: 'Vị trí điểm tập kết, trung chuyển chất thải rắn', scopes: ['city', 'district'], frequency: 'QUARTERLY', formats: ['GeoJSON'], tags: ['chất thải rắn', 'bản đồ'] },
      { text: 'Khối lượng chất thải rắn sinh hoạt được thu gom, xử lý', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['chất thải rắn', 'vệ sinh môi trường'] },
      { text: 'Danh sách cơ sở gây ô nhiễm môi trường nghiêm trọng', scopes: ['city', 'year'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['ô nhiễm'] },
      { text: 'Số liệu mực nước và lượng mưa tại các trạm quan trắc', scopes: ['city', 'year'], frequency: 'DAILY', formats: ['API', 'CSV'], tags: ['lượng mưa', 'thủy văn', 'phòng chống thiên tai'] },
      { text: 'Bản đồ điểm ngập úng khi mưa lớn', scopes: ['city', 'district'], frequency: 'IRREGULAR', formats: ['GeoJSON'], tags: ['ngập úng', 'phòng chống thiên tai', 'IOC'], publisher: 'IOC' },
      { text: 'Danh sách công viên, vườn hoa và cây xanh đô thị', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['cây xanh', 'công viên'], publisher: 'SXD' },
      { text: 'Kết quả quan trắc nước thải tại các khu công nghiệp', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX', 'PDF'], tags: ['nước thải', 'khu công nghiệp'] },
    ],
  },
  {
    name: 'Đất đai - Xây dựng', weight: 1, publisher: 'SXD', tags: ['đất đai', 'xây dựng'],
    subjects: [
      { text: 'Bảng giá đất', scopes: ['city', 'year'], frequency: 'YEARLY', formats: ['XLSX', 'PDF'], tags: ['giá đất'], publisher: 'STNMT' },
      { text: 'Kế hoạch sử dụng đất', scopes: ['districtYear'], frequency: 'YEARLY', formats: ['PDF', 'GeoJSON'], tags: ['kế hoạch sử dụng đất'], publisher: 'STNMT' },
      { text: 'Danh sách giấy phép xây dựng đã cấp', scopes: ['city', 'district', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['giấy phép xây dựng'] },
      { text: 'Danh sách dự án nhà ở xã hội', scopes: ['city'], frequency: 'QUARTERLY', formats: ['CSV', 'PDF'], tags: ['nhà ở xã hội'] },
      { text: 'Danh sách dự án nhà ở thương mại đủ điều kiện bán, cho thuê mua', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['nhà ở', 'bất động sản'] },
      { text: 'Bản đồ quy hoạch phân khu', scopes: ['district'], frequency: 'IRREGULAR', formats: ['GeoJSON', 'PDF'], tags: ['quy hoạch', 'bản đồ', 'GIS'] },
      { text: 'Danh sách dự án đầu tư công', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['đầu tư công'], publisher: 'SKHDT' },
      { text: 'Công bố giá vật liệu xây dựng', scopes: ['year'], frequency: 'MONTHLY', formats: ['PDF', 'XLSX'], tags: ['vật liệu xây dựng', 'giá'] },
      { text: 'Danh sách công trình vi phạm trật tự xây dựng', scopes: ['district', 'districtYear'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['trật tự xây dựng'] },
    ],
  },
  {
    name: 'Kinh tế', weight: 1.1, publisher: 'SKHDT', tags: ['kinh tế'],
    subjects: [
      { text: 'Danh sách doanh nghiệp thành lập mới', scopes: ['city', 'district', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['doanh nghiệp', 'đăng ký kinh doanh'] },
      { text: 'Danh sách dự án có vốn đầu tư trực tiếp nước ngoài (FDI)', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['FDI', 'đầu tư'] },
      { text: 'Danh sách chợ, siêu thị, trung tâm thương mại', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['chợ', 'siêu thị', 'thương mại'], publisher: 'SCT' },
      { text: 'Chỉ số giá tiêu dùng (CPI)', scopes: ['year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['CPI', 'giá cả'] },
      { text: 'Số liệu thu, chi ngân sách nhà nước', scopes: ['year'], frequency: 'QUARTERLY', formats: ['XLSX', 'PDF'], tags: ['ngân sách', 'tài chính công'], publisher: 'STC' },
      { text: 'Kim ngạch xuất khẩu, nhập khẩu hàng hóa', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['xuất khẩu', 'nhập khẩu'], publisher: 'SCT' },
      { text: 'Danh sách khu công nghiệp, cụm công nghiệp', scopes: ['city'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['khu công nghiệp'] },
      { text: 'Tổng sản phẩm trên địa bàn (GRDP)', scopes: ['year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['GRDP', 'tăng trưởng'] },
      { text: 'Danh sách hộ kinh doanh đăng ký mới', scopes: ['district', 'districtYear'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['hộ kinh doanh'] },
    ],
  },
  {
    name: 'Dân cư', weight: 1.1, publisher: 'SLDTBXH', tags: ['dân cư'],
    subjects: [
      { text: 'Dân số trung bình phân theo giới tính và khu vực', scopes: ['city', 'district', 'year'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['dân số'], publisher: 'SKHDT' },
      { text: 'Số liệu đăng ký khai sinh, khai tử', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['hộ tịch', 'khai sinh'], publisher: 'STP' },
      { text: 'Số liệu đăng ký kết hôn', scopes: ['city', 'district', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['hộ tịch', 'kết hôn'], publisher: 'STP' },
      { text: 'Số hộ nghèo, hộ cận nghèo', scopes: ['city', 'district', 'districtYear'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['giảm nghèo', 'an sinh xã hội'] },
      { text: 'Số người tham gia bảo hiểm xã hội, bảo hiểm y tế', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['bảo hiểm xã hội', 'bảo hiểm y tế'] },
      { text: 'Số lao động được giải quyết việc làm', scopes: ['city', 'district', 'year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['việc làm', 'lao động'] },
      { text: 'Số đối tượng hưởng trợ cấp xã hội hằng tháng', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['bảo trợ xã hội', 'an sinh xã hội'] },
      { text: 'Danh sách tổ dân phố, thôn', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['tổ dân phố', 'đơn vị hành chính'], publisher: 'SNV' },
    ],
  },
  {
    name: 'Hành chính công', weight: 1.3, publisher: 'TTPVHCC', tags: ['hành chính công'],
    subjects: [
      { text: 'Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của UBND {place}', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['JSON', 'XLSX'], tags: ['thủ tục hành chính'] },
      { text: 'Danh mục thủ tục hành chính cấp quận, huyện', scopes: ['city'], frequency: 'MONTHLY', formats: ['JSON', 'XLSX'], tags: ['thủ tục hành chính'] },
      { text: 'Số liệu tiếp nhận và giải quyết hồ sơ thủ tục hành chính', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'MONTHLY', formats: ['API', 'XLSX'], tags: ['hồ sơ', 'thủ tục hành chính'] },
      { text: 'Tỷ lệ hồ sơ giải quyết đúng hạn của các cơ quan, đơn vị', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['hồ sơ', 'đúng hạn'] },
      { text: 'Danh sách dịch vụ công trực tuyến toàn trình', scopes: ['city'], frequency: 'MONTHLY', formats: ['JSON', 'CSV'], tags: ['dịch vụ công trực tuyến', 'chuyển đổi số'], publisher: 'STTTT' },
      { text: 'Kết quả khảo sát mức độ hài lòng của người dân, doanh nghiệp', scopes: ['city', 'district', 'year'], frequency: 'QUARTERLY', formats: ['XLSX', 'PDF'], tags: ['mức độ hài lòng', 'cải cách hành chính'], publisher: 'SNV' },
      { text: 'Phản ánh, kiến nghị của người dân qua Tổng đài 1022', scopes: ['city', 'district'], frequency: 'DAILY', formats: ['API', 'CSV'], tags: ['1022', 'phản ánh hiện trường', 'IOC'], publisher: 'IOC' },
      { text: 'Danh mục văn bản quy phạm pháp luật do HĐND, UBND {place} ban hành', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['PDF', 'JSON'], tags: ['văn bản pháp luật'], publisher: 'STP' },
      { text: 'Danh bạ cơ quan hành chính nhà nước', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'JSON'], tags: ['danh bạ', 'cơ quan nhà nước'], publisher: 'SNV' },
      { text: 'Số liệu thanh toán trực tuyến phí, lệ phí thủ tục hành chính', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX', 'API'], tags: ['thanh toán trực tuyến', 'chuyển đổi số'], publisher: 'STTTT' },
    ],
  },
  {
    name: 'Văn hóa - Thể thao', weight: 0.7, publisher: 'SVHTT', tags: ['văn hóa', 'thể thao'],
    subjects: [
      { text: 'Danh sách di tích lịch sử - văn hóa được xếp hạng', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['di tích'] },
      { text: 'Danh sách thiết chế văn hóa, thể thao cơ sở', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['nhà văn hóa', 'thiết chế văn hóa'] },
      { text: 'Lịch biểu diễn nghệ thuật', scopes: ['year'], frequency: 'WEEKLY', formats: ['JSON'], tags: ['biểu diễn nghệ thuật', 'sự kiện'] },
      { text: 'Danh sách thư viện công cộng và tủ sách cộng đồng', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['thư viện'] },
      { text: 'Danh sách câu lạc bộ thể dục thể thao', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['câu lạc bộ', 'thể dục thể thao'] },
      { text: 'Danh sách bảo tàng, nhà trưng bày', scopes: ['city'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['bảo tàng'] },
      { text: 'Kết quả thi đấu thể thao thành tích cao', scopes: ['year'], frequency: 'IRREGULAR', formats: ['PDF', 'XLSX'], tags: ['thể thao thành tích cao'] },
      { text: 'Danh sách lễ hội truyền thống', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['lễ hội'] },
      { text: 'Danh mục di sản văn hóa phi vật thể', scopes: ['city'], frequency: 'IRREGULAR', formats: ['PDF', 'JSON'], tags: ['di sản văn hóa'] },
      { text: 'Danh sách cơ sở kinh doanh dịch vụ karaoke, vũ trường được cấp phép', scopes: ['city', 'district', 'year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['karaoke', 'giấy phép kinh doanh'] },
      { text: 'Số liệu hoạt động của thư viện thành phố', scopes: ['year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['thư viện', 'thống kê'] },
      { text: 'Danh sách làng nghề, nghề truyền thống', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['làng nghề'] },
      { text: 'Danh sách công trình thể thao công cộng', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['công trình thể thao'] },
      { text: 'Danh sách tổ dân phố, thôn đạt danh hiệu văn hóa', scopes: ['district', 'districtYear'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['danh hiệu văn hóa'] },
    ],
  },
  {
    name: 'Khoa học - Công nghệ', weight: 0.8, publisher: 'SKHCN', tags: ['khoa học', 'công nghệ'],
    subjects: [
      { text: 'Danh sách doanh nghiệp công nghệ số', scopes: ['city', 'district', 'year'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['doanh nghiệp công nghệ số', 'kinh tế số'], publisher: 'STTTT' },
      { text: 'Danh sách điểm phát wifi công cộng miễn phí', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['GeoJSON', 'CSV'], tags: ['wifi công cộng', 'đô thị thông minh'], publisher: 'STTTT' },
      { text: 'Danh sách nhiệm vụ khoa học và công nghệ cấp thành phố', scopes: ['city', 'year'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['nhiệm vụ khoa học'] },
      { text: 'Danh sách doanh nghiệp khoa học và công nghệ', scopes: ['city'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['doanh nghiệp khoa học'] },
      { text: 'Vị trí trạm thu phát sóng thông tin di động (BTS)', scopes: ['city', 'district'], frequency: 'QUARTERLY', formats: ['GeoJSON'], tags: ['viễn thông', 'BTS'], publisher: 'STTTT' },
      { text: 'Danh sách dự án khởi nghiệp đổi mới sáng tạo được hỗ trợ', scopes: ['city', 'year'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['khởi nghiệp', 'đổi mới sáng tạo'] },
      { text: 'Chương trình đào tạo thiết kế vi mạch và trí tuệ nhân tạo', scopes: ['year'], frequency: 'IRREGULAR', formats: ['PDF', 'JSON'], tags: ['vi mạch', 'trí tuệ nhân tạo', 'DSAC'], publisher: 'DSAC' },
      { text: 'Danh mục cơ sở dữ liệu dùng chung của thành phố', scopes: ['city'], frequency: 'IRREGULAR', formats: ['JSON', 'PDF'], tags: ['cơ sở dữ liệu dùng chung', 'chuyển đổi số'], publisher: 'STTTT' },
      { text: 'Danh mục nền tảng, ứng dụng đô thị thông minh', scopes: ['city'], frequency: 'IRREGULAR', formats: ['JSON'], tags: ['đô thị thông minh', 'chuyển đổi số'], publisher: 'STTTT' },
      { text: 'Số liệu sử dụng dịch vụ trên ứng dụng Danang Smart City', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['API', 'CSV'], tags: ['Danang Smart City', 'chuyển đổi số'], publisher: 'STTTT' },
      { text: 'Danh sách sáng chế, giải pháp hữu ích được bảo hộ', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['sở hữu trí tuệ', 'sáng chế'] },
      { text: 'Danh sách phương tiện đo được kiểm định', scopes: ['year'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['đo lường', 'tiêu chuẩn chất lượng'] },
      { text: 'Danh sách hệ thống thông tin được phê duyệt cấp độ an toàn thông tin', scopes: ['city', 'year'], frequency: 'QUARTERLY', formats: ['XLSX'], tags: ['an toàn thông tin'], publisher: 'STTTT' },
      { text: 'Danh sách điểm cung cấp dịch vụ Internet công cộng', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV', 'GeoJSON'], tags: ['Internet', 'viễn thông'], publisher: 'STTTT' },
    ],
  },
  {
    name: 'Nông nghiệp', weight: 0.7, publisher: 'SNNPTNT', tags: ['nông nghiệp'],
    subjects: [
      { text: 'Diện tích, năng suất, sản lượng lúa', scopes: ['city', 'district', 'year', 'districtYear'], frequency: 'YEARLY', formats: ['XLSX'], tags: ['lúa', 'trồng trọt'], districts: FARMLAND },
      { text: 'Danh sách sản phẩm OCOP được công nhận', scopes: ['city', 'district', 'year'], frequency: 'YEARLY', formats: ['CSV'], tags: ['OCOP'] },
      { text: 'Sản lượng khai thác và nuôi trồng thủy sản', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['thủy sản'] },
      { text: 'Danh sách tàu cá đã đăng ký', scopes: ['city', 'district'], frequency: 'MONTHLY', formats: ['CSV'], tags: ['tàu cá', 'thủy sản'], districts: COAST },
      { text: 'Diện tích rừng và tỷ lệ che phủ rừng', scopes: ['city', 'district', 'year'], frequency: 'YEARLY', formats: ['GeoJSON', 'XLSX'], tags: ['lâm nghiệp', 'rừng'], districts: FOREST },
      { text: 'Danh sách cơ sở sản xuất, kinh doanh nông sản an toàn', scopes: ['city', 'district'], frequency: 'QUARTERLY', formats: ['CSV'], tags: ['nông sản an toàn'], districts: FARMLAND },
      { text: 'Tình hình dịch bệnh trên gia súc, gia cầm', scopes: ['city', 'year'], frequency: 'MONTHLY', formats: ['XLSX'], tags: ['chăn nuôi', 'thú y'] },
      { text: 'Danh sách hợp tác xã nông nghiệp', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['hợp tác xã'], districts: FARMLAND },
      { text: 'Danh sách hồ chứa nước, công trình thủy lợi', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['GeoJSON', 'CSV'], tags: ['thủy lợi', 'hồ chứa'], districts: FARMLAND },
      { text: 'Giá nông sản tại các chợ đầu mối', scopes: ['city', 'year'], frequency: 'WEEKLY', formats: ['CSV', 'API'], tags: ['giá nông sản'] },
      { text: 'Danh sách trang trại chăn nuôi', scopes: ['city', 'district'], frequency: 'YEARLY', formats: ['CSV'], tags: ['chăn nuôi', 'trang trại'], districts: FARMLAND },
    ],
  },
];
