import type { IndicatorFrequency, IndicatorGranularity, IndicatorVisibility } from '../db/tables.js';
import type { Scale } from '../../../seed/scales.js';

/**
 * How an indicator's values are generated. `total`: a monthly count or quantity (a ward's share
 * follows its population; the city-wide value is the sum of the wards). `average`: a rate or
 * index (wards scatter around the level; the city-wide value is the population-weighted mean).
 * `ramp`: a city-wide monthly series that ends exactly at `last` in the seed's month. `points`:
 * yearly values given as they are.
 */
export type SeriesModel =
  | { kind: 'total'; level: number; growth: number; noise: number; decimals: number; seasonal?: readonly number[] }
  | {
      kind: 'average'; level: number; spread: number; growth: number; noise: number; decimals: number;
      min: number; max: number; seasonal?: readonly number[];
    }
  | { kind: 'ramp'; last: number; step: number; noise: number; decimals: number; max?: number }
  | { kind: 'points'; points: ReadonlyArray<readonly [year: number, value: number]> };

export interface IndicatorSeed {
  code: string;
  name: string;
  description: string;
  unit: string;
  category: string;
  target?: { value: number; year: number };
  /** Agency code (reference source). */
  owner: string;
  visibility: IndicatorVisibility;
  granularity: IndicatorGranularity;
  frequency: IndicatorFrequency;
  sourceNote: string;
  series: SeriesModel;
}

const ARTICLE = 'Báo cáo chuyển đổi số của Sở Thông tin và Truyền thông Đà Nẵng tại buổi làm việc với Thường trực Thành ủy, 10/2024';
const SIMULATED = 'Hệ thống giám sát, điều hành đô thị thông minh (IOC) Đà Nẵng; số liệu mô phỏng';

/** Month factors January..December. */
const TOURIST_SEASON = [0.85, 0.95, 0.9, 0.95, 1.1, 1.3, 1.35, 1.3, 0.95, 0.8, 0.7, 0.85];
/** Flooding comes with the rainy season, September to December. */
const RAINY_SEASON = [0.3, 0.1, 0.1, 0.1, 0.2, 0.3, 0.3, 0.4, 1.6, 3.4, 3.0, 1.3];
const DRY_SEASON_AIR = [1.2, 1.15, 1.1, 1.05, 1.0, 0.95, 0.95, 0.95, 0.9, 0.85, 0.9, 1.1];
const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

/**
 * The city's indicators: first the article's figures (October 2024) with their real values,
 * then operational indicators the IOC follows by ward or city-wide. Ids follow this order.
 */
export function indicatorSeeds(scale: Scale): IndicatorSeed[] {
  return [
    {
      code: 'FULL_ONLINE_PUBLIC_SERVICES_RATE', name: 'Tỷ lệ dịch vụ công trực tuyến toàn trình',
      description: 'Tỷ lệ thủ tục hành chính được cung cấp dưới dạng dịch vụ công trực tuyến toàn trình; Đà Nẵng cao nhất cả nước với 95%.',
      unit: '%', category: 'Chính quyền số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY',
      sourceNote: `${ARTICLE} (giá trị 10/2024); các tháng trước: số liệu mô phỏng`,
      series: { kind: 'ramp', last: 95, step: 0.45, noise: 0.15, decimals: 1, max: 100 },
    },
    {
      code: 'FULL_ONLINE_DOSSIERS_RATE', name: 'Tỷ lệ hồ sơ xử lý trực tuyến toàn trình',
      description: 'Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến toàn trình trên tổng số hồ sơ.',
      unit: '%', category: 'Chính quyền số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY',
      sourceNote: `${ARTICLE} (giá trị 10/2024); các tháng trước: số liệu mô phỏng`,
      series: { kind: 'ramp', last: 65, step: 0.7, noise: 0.3, decimals: 1, max: 100 },
    },
    {
      code: 'DIGITAL_ECONOMY_GRDP_SHARE', name: 'Tỷ trọng kinh tế số trong GRDP',
      description: 'Quy mô kinh tế số so với tổng sản phẩm trên địa bàn thành phố (GRDP); năm 2023 đạt 20,69%, vượt chỉ tiêu năm 2025 là 20%.',
      unit: '%', category: 'Kinh tế số', target: { value: 20, year: 2025 }, owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'YEARLY',
      sourceNote: `${ARTICLE} (giá trị năm 2023); các năm trước: số liệu mô phỏng`,
      series: { kind: 'points', points: [[2020, 16.85], [2021, 17.92], [2022, 19.2], [2023, 20.69]] },
    },
    {
      code: 'DIGITAL_TECH_ENTERPRISES_PER_1000', name: 'Số doanh nghiệp công nghệ số trên 1.000 dân',
      description: 'Số doanh nghiệp công nghệ số đang hoạt động trên 1.000 dân; Đà Nẵng đạt 2,3, cao gấp 3 lần tỷ lệ trung bình cả nước.',
      unit: 'doanh nghiệp/1.000 dân', category: 'Kinh tế số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'YEARLY',
      sourceNote: `${ARTICLE} (giá trị năm 2023); các năm trước: số liệu mô phỏng`,
      series: { kind: 'points', points: [[2020, 1.6], [2021, 1.8], [2022, 2.0], [2023, 2.3]] },
    },
    {
      code: 'IT_INDUSTRY_REVENUE_GROWTH', name: 'Tăng trưởng doanh thu công nghiệp công nghệ thông tin',
      description: 'Tốc độ tăng doanh thu công nghiệp công nghệ thông tin so với năm trước; bình quân 10-15%/năm.',
      unit: '%/năm', category: 'Kinh tế số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'YEARLY',
      sourceNote: `${ARTICLE} (bình quân 10-15%/năm); giá trị từng năm: số liệu mô phỏng`,
      series: { kind: 'points', points: [[2019, 11.5], [2020, 10.2], [2021, 13.6], [2022, 14.8], [2023, 12.4]] },
    },
    {
      code: 'SOFTWARE_EXPORT_GROWTH', name: 'Tăng trưởng kim ngạch xuất khẩu phần mềm',
      description: 'Tốc độ tăng kim ngạch xuất khẩu phần mềm so với năm trước; bình quân 15%/năm.',
      unit: '%/năm', category: 'Kinh tế số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'YEARLY',
      sourceNote: `${ARTICLE} (15%/năm); giá trị từng năm: số liệu mô phỏng`,
      series: { kind: 'points', points: [[2019, 14.6], [2020, 13.8], [2021, 16.2], [2022, 15.4], [2023, 15]] },
    },
    {
      code: 'OPEN_DATASETS_SHARED', name: 'Số bộ dữ liệu mở được kết nối, chia sẻ, cung cấp',
      description: 'Số bộ dữ liệu mở được kết nối, chia sẻ và cung cấp trên Cổng dữ liệu mở thành phố để khai thác, tạo giá trị cho người dân, doanh nghiệp.',
      unit: 'bộ dữ liệu', category: 'Dữ liệu mở', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY',
      sourceNote: `${ARTICLE} (gần 1.200 bộ dữ liệu); các tháng trước: số liệu mô phỏng`,
      series: { kind: 'ramp', last: scale.datasets, step: 14, noise: 2, decimals: 0 },
    },

    // Operational indicators, by ward: the city-wide row beside them is the sum or mean.
    {
      code: 'DOSSIERS_RECEIVED', name: 'Số hồ sơ thủ tục hành chính tiếp nhận', description: 'Số hồ sơ thủ tục hành chính tiếp nhận trong tháng qua mọi kênh (trực tuyến, một cửa, bưu chính).',
      unit: 'hồ sơ', category: 'Hành chính công', owner: 'TTPVHCC', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 14_000, growth: 0.06, noise: 0.08, decimals: 0, seasonal: [0.8, 0.7, 1.05, 1, 1, 1.05, 1.05, 1.05, 1, 1.05, 1.05, 1.15] },
    },
    {
      code: 'DOSSIERS_ON_TIME_RATE', name: 'Tỷ lệ hồ sơ giải quyết đúng hạn', description: 'Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trước và đúng hạn trên tổng số hồ sơ đã giải quyết.',
      unit: '%', category: 'Hành chính công', target: { value: 98, year: 2025 }, owner: 'TTPVHCC', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'average', level: 97.6, spread: 0.9, growth: 0.3, noise: 0.6, decimals: 2, min: 85, max: 100 },
    },
    {
      code: 'DOSSIERS_OVERDUE', name: 'Số hồ sơ giải quyết quá hạn', description: 'Số hồ sơ thủ tục hành chính giải quyết quá hạn trong tháng.',
      unit: 'hồ sơ', category: 'Hành chính công', owner: 'TTPVHCC', visibility: 'INTERNAL', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 320, growth: -0.1, noise: 0.35, decimals: 0 },
    },
    {
      code: 'HOTLINE_1022_REPORTS', name: 'Số phản ánh hiện trường qua Tổng đài 1022', description: 'Số phản ánh, kiến nghị của người dân gửi qua Tổng đài 1022 (điện thoại, ứng dụng Danang Smart City, cổng góp ý).',
      unit: 'phản ánh', category: 'Đô thị', owner: 'IOC', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 2_300, growth: 0.08, noise: 0.15, decimals: 0, seasonal: [0.9, 0.8, 0.95, 1, 1.05, 1.1, 1.1, 1.05, 1.05, 1.2, 1.15, 0.95] },
    },
    {
      code: 'HOTLINE_1022_ON_TIME_RATE', name: 'Tỷ lệ phản ánh qua Tổng đài 1022 được xử lý đúng hạn', description: 'Tỷ lệ phản ánh qua Tổng đài 1022 được cơ quan chức năng xử lý, phản hồi đúng thời hạn.',
      unit: '%', category: 'Đô thị', owner: 'IOC', visibility: 'INTERNAL', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'average', level: 93, spread: 2.5, growth: 1, noise: 1.5, decimals: 2, min: 70, max: 100 },
    },
    {
      code: 'FLOOD_POINTS', name: 'Số điểm ngập úng được ghi nhận', description: 'Số điểm ngập úng do mưa lớn được ghi nhận qua camera, cảm biến và phản ánh của người dân.',
      unit: 'điểm', category: 'Phòng chống thiên tai', owner: 'IOC', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 60, growth: -0.05, noise: 0.4, decimals: 0, seasonal: RAINY_SEASON },
    },
    {
      code: 'AIR_QUALITY_INDEX', name: 'Chỉ số chất lượng không khí (AQI) trung bình', description: 'Chỉ số chất lượng không khí (VN_AQI) trung bình tháng từ các trạm quan trắc tự động.',
      unit: 'AQI', category: 'Môi trường', owner: 'STNMT', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'average', level: 46, spread: 7, growth: 0, noise: 4, decimals: 0, min: 15, max: 150, seasonal: DRY_SEASON_AIR },
    },
    {
      code: 'SOLID_WASTE_COLLECTED', name: 'Khối lượng chất thải rắn sinh hoạt được thu gom', description: 'Khối lượng chất thải rắn sinh hoạt được thu gom, vận chuyển về khu xử lý trong tháng.',
      unit: 'tấn', category: 'Môi trường', owner: 'STNMT', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 33_500, growth: 0.04, noise: 0.05, decimals: 1, seasonal: TOURIST_SEASON.map((f) => 0.85 + f * 0.15) },
    },
    {
      code: 'URBAN_ORDER_VIOLATIONS', name: 'Số vi phạm trật tự đô thị phát hiện qua camera', description: 'Số trường hợp lấn chiếm vỉa hè, lòng đường, xả thải, xây dựng trái phép được phát hiện qua hệ thống camera giám sát.',
      unit: 'vụ', category: 'Đô thị', owner: 'IOC', visibility: 'INTERNAL', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 720, growth: 0.12, noise: 0.25, decimals: 0 },
    },
    {
      code: 'TRAFFIC_ACCIDENTS', name: 'Số vụ tai nạn giao thông', description: 'Số vụ tai nạn giao thông đường bộ xảy ra trong tháng.',
      unit: 'vụ', category: 'Giao thông', owner: 'SGTVT', visibility: 'INTERNAL', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 14, growth: -0.08, noise: 0.6, decimals: 0 },
    },
    {
      code: 'BIRTH_REGISTRATIONS', name: 'Số trường hợp đăng ký khai sinh', description: 'Số trường hợp đăng ký khai sinh tại Ủy ban nhân dân phường, xã trong tháng.',
      unit: 'trường hợp', category: 'Xã hội', owner: 'STP', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 1_350, growth: -0.02, noise: 0.12, decimals: 0 },
    },
    {
      code: 'NEW_ENTERPRISES', name: 'Số doanh nghiệp thành lập mới', description: 'Số doanh nghiệp đăng ký thành lập mới trong tháng, theo địa chỉ trụ sở chính.',
      unit: 'doanh nghiệp', category: 'Kinh tế', owner: 'SKHDT', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 260, growth: 0.05, noise: 0.3, decimals: 0, seasonal: [0.7, 0.6, 1.1, 1.05, 1.05, 1.05, 1.05, 1.05, 1, 1.1, 1.1, 1.15] },
    },
    {
      code: 'E_HEALTH_RECORDS_RATE', name: 'Tỷ lệ người dân có hồ sơ sức khỏe điện tử', description: 'Tỷ lệ dân số đã được lập hồ sơ sức khỏe điện tử.',
      unit: '%', category: 'Y tế', target: { value: 90, year: 2025 }, owner: 'SYT', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'average', level: 84, spread: 4, growth: 6, noise: 0.3, decimals: 2, min: 0, max: 100 },
    },
    {
      code: 'ONLINE_FEE_PAYMENT_RATE', name: 'Tỷ lệ hồ sơ thanh toán phí, lệ phí trực tuyến', description: 'Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến.',
      unit: '%', category: 'Chính quyền số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'WARD', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'average', level: 52, spread: 6, growth: 9, noise: 1.5, decimals: 2, min: 0, max: 100 },
    },

    // Operational indicators followed city-wide.
    {
      code: 'TOURIST_ARRIVALS', name: 'Lượt khách du lịch đến Đà Nẵng', description: 'Tổng lượt khách lưu trú tại các cơ sở lưu trú trên địa bàn thành phố trong tháng.',
      unit: 'lượt khách', category: 'Du lịch', owner: 'SDL', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 780_000, growth: 0.18, noise: 0.05, decimals: 0, seasonal: TOURIST_SEASON },
    },
    {
      code: 'INTERNATIONAL_ARRIVALS', name: 'Lượt khách quốc tế đến Đà Nẵng', description: 'Lượt khách quốc tế lưu trú tại các cơ sở lưu trú trên địa bàn thành phố trong tháng.',
      unit: 'lượt khách', category: 'Du lịch', owner: 'SDL', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 290_000, growth: 0.3, noise: 0.07, decimals: 0, seasonal: TOURIST_SEASON },
    },
    {
      code: 'HOTEL_OCCUPANCY_RATE', name: 'Công suất sử dụng phòng bình quân', description: 'Công suất sử dụng phòng bình quân của các cơ sở lưu trú du lịch.',
      unit: '%', category: 'Du lịch', owner: 'SDL', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'average', level: 56, spread: 0, growth: 3, noise: 2, decimals: 1, min: 20, max: 95, seasonal: TOURIST_SEASON },
    },
    {
      code: 'PUBLIC_SERVICE_PORTAL_VISITS', name: 'Lượt truy cập Cổng dịch vụ công thành phố', description: 'Lượt truy cập Cổng dịch vụ công trực tuyến của thành phố trong tháng.',
      unit: 'lượt truy cập', category: 'Chính quyền số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 950_000, growth: 0.15, noise: 0.08, decimals: 0, seasonal: FLAT },
    },
    {
      code: 'PUBLIC_WIFI_SESSIONS', name: 'Số phiên truy cập wifi công cộng', description: 'Số phiên truy cập hệ thống wifi công cộng miễn phí của thành phố.',
      unit: 'phiên', category: 'Hạ tầng số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 2_100_000, growth: 0.05, noise: 0.06, decimals: 0, seasonal: TOURIST_SEASON },
    },
    {
      code: 'SMART_CITY_APP_ACCOUNTS', name: 'Số tài khoản ứng dụng Danang Smart City', description: 'Số tài khoản đã đăng ký sử dụng ứng dụng Danang Smart City (lũy kế).',
      unit: 'tài khoản', category: 'Xã hội số', owner: 'STTTT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'ramp', last: 618_000, step: 9_500, noise: 600, decimals: 0 },
    },
    {
      code: 'CYBERSECURITY_ALERTS_HANDLED', name: 'Số cảnh báo an toàn thông tin đã xử lý', description: 'Số cảnh báo tấn công, mã độc, lỗ hổng trên hệ thống thông tin của thành phố đã được xử lý.',
      unit: 'cảnh báo', category: 'An toàn thông tin', owner: 'STTTT', visibility: 'INTERNAL', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 340, growth: 0.2, noise: 0.2, decimals: 0, seasonal: FLAT },
    },
    {
      code: 'BUS_PASSENGERS', name: 'Lượt hành khách đi xe buýt', description: 'Lượt hành khách sử dụng các tuyến xe buýt công cộng trong tháng.',
      unit: 'lượt', category: 'Giao thông', owner: 'SGTVT', visibility: 'PUBLIC', granularity: 'CITY', frequency: 'MONTHLY', sourceNote: SIMULATED,
      series: { kind: 'total', level: 410_000, growth: 0.07, noise: 0.05, decimals: 0, seasonal: [0.95, 0.8, 1.05, 1.05, 1.05, 0.95, 0.9, 0.95, 1.05, 1.1, 1.1, 1.05] },
    },
  ];
}
