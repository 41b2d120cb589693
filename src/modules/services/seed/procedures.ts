import { agencies } from '../../reference/seed/agencies.js';

/** Who files a procedure's dossiers: EITHER means citizens or businesses. */
export type ProcedureApplicant = 'CITIZEN' | 'BUSINESS' | 'EITHER';

/** One procedure as the catalogue lists it; the handling agency comes from where it is listed. */
interface ProcedureTemplate {
  name: string;
  field: string;
  /** Statutory processing time, working days. */
  days: number;
  /** VND. */
  fee: number;
  applicant: ProcedureApplicant;
  /** Relative yearly volume of dossiers (city-wide for district procedures). */
  weight: number;
  /** Needs the applicant in person (a test, both spouses): a candidate for PARTIAL_ONLINE. */
  inPerson?: boolean;
}

type Row = readonly [name: string, field: string, days: number, fee: number, applicant: ProcedureApplicant, weight?: number, inPerson?: boolean];

const template = ([name, field, days, fee, applicant, weight = 0.3, inPerson = false]: Row): ProcedureTemplate => ({
  name, field, days, fee, applicant, weight, inPerson,
});

/** City-level procedures by agency code (src/modules/reference/seed/agencies.ts); real names from the national catalogue. */
const DEPARTMENT_PROCEDURES: Record<string, readonly Row[]> = {
  STTTT: [
    ['Cấp giấy phép xuất bản bản tin', 'Báo chí', 10, 0, 'BUSINESS'],
    ['Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp', 'Phát thanh, truyền hình và thông tin điện tử', 10, 0, 'BUSINESS'],
    ['Cấp giấy phép hoạt động in xuất bản phẩm', 'Xuất bản, In và Phát hành', 7, 0, 'BUSINESS'],
    ['Cấp giấy phép xuất bản tài liệu không kinh doanh', 'Xuất bản, In và Phát hành', 10, 0, 'EITHER'],
    ['Cấp giấy phép bưu chính', 'Bưu chính', 10, 0, 'BUSINESS'],
    ['Cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm', 'Xuất bản, In và Phát hành', 7, 0, 'BUSINESS'],
  ],
  SKHDT: [
    ['Đăng ký thành lập doanh nghiệp tư nhân', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS', 1],
    ['Đăng ký thành lập công ty TNHH một thành viên', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS', 1.5],
    ['Đăng ký thành lập công ty TNHH hai thành viên trở lên', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS', 0.8],
    ['Đăng ký thành lập công ty cổ phần', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS', 0.6],
    ['Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS', 3],
    ['Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS', 0.8],
    ['Thông báo tạm ngừng kinh doanh', 'Đăng ký kinh doanh', 3, 0, 'BUSINESS', 0.8],
    ['Đăng ký giải thể doanh nghiệp', 'Đăng ký kinh doanh', 5, 0, 'BUSINESS', 0.4],
    ['Cấp lại Giấy chứng nhận đăng ký doanh nghiệp', 'Đăng ký kinh doanh', 3, 50_000, 'BUSINESS'],
    ['Cấp Giấy chứng nhận đăng ký đầu tư', 'Đầu tư tại Việt Nam', 15, 0, 'BUSINESS'],
    ['Điều chỉnh Giấy chứng nhận đăng ký đầu tư', 'Đầu tư tại Việt Nam', 10, 0, 'BUSINESS'],
    ['Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh', 'Đầu tư tại Việt Nam', 35, 0, 'BUSINESS', 0.1],
  ],
  STP: [
    ['Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam', 'Lý lịch tư pháp', 10, 200_000, 'CITIZEN', 5],
    ['Đăng ký hành nghề và cấp Thẻ công chứng viên', 'Công chứng', 10, 0, 'CITIZEN'],
    ['Thành lập Văn phòng công chứng', 'Công chứng', 20, 1_000_000, 'CITIZEN', 0.1],
    ['Đăng ký hoạt động của tổ chức hành nghề luật sư', 'Luật sư', 7, 500_000, 'BUSINESS'],
    ['Cấp Chứng chỉ hành nghề đấu giá', 'Đấu giá tài sản', 7, 0, 'CITIZEN', 0.1],
    ['Thủ tục yêu cầu trợ giúp pháp lý', 'Trợ giúp pháp lý', 3, 0, 'CITIZEN', 0.5],
  ],
  STNMT: [
    ['Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', 'Đất đai', 10, 50_000, 'EITHER', 8],
    ['Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', 'Đăng ký biện pháp bảo đảm', 3, 80_000, 'EITHER', 5],
    ['Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', 'Đăng ký biện pháp bảo đảm', 3, 20_000, 'EITHER', 3.5],
    ['Cung cấp thông tin, dữ liệu đất đai', 'Đất đai', 2, 150_000, 'EITHER', 2],
    ['Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất cho tổ chức', 'Đất đai', 20, 500_000, 'BUSINESS', 0.3],
    ['Thẩm định, phê duyệt báo cáo đánh giá tác động môi trường', 'Môi trường', 30, 6_000_000, 'BUSINESS', 0.1],
    ['Cấp giấy phép môi trường', 'Môi trường', 20, 5_000_000, 'BUSINESS', 0.2],
    ['Cấp giấy phép khai thác, sử dụng nước dưới đất', 'Tài nguyên nước', 30, 400_000, 'BUSINESS', 0.1],
    ['Cấp giấy phép thăm dò khoáng sản', 'Địa chất và khoáng sản', 45, 4_000_000, 'BUSINESS', 0.05],
  ],
  SXD: [
    ['Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II', 'Hoạt động xây dựng', 20, 150_000, 'BUSINESS', 0.4],
    ['Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở', 'Hoạt động xây dựng', 30, 0, 'BUSINESS', 0.3],
    ['Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III', 'Hoạt động xây dựng', 20, 300_000, 'CITIZEN', 0.5],
    ['Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III', 'Hoạt động xây dựng', 20, 1_000_000, 'BUSINESS', 0.3],
    ['Cấp giấy phép di dời công trình', 'Hoạt động xây dựng', 20, 0, 'EITHER', 0.05],
    ['Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua', 'Kinh doanh bất động sản', 15, 0, 'BUSINESS', 0.1],
    ['Cung cấp thông tin về quy hoạch xây dựng', 'Quy hoạch xây dựng, kiến trúc', 15, 0, 'EITHER', 1],
  ],
  SGTVT: [
    ['Cấp mới giấy phép lái xe', 'Đường bộ', 10, 135_000, 'CITIZEN', 3, true],
    ['Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', 'Đường bộ', 5, 135_000, 'CITIZEN', 5],
    ['Cấp lại giấy phép lái xe', 'Đường bộ', 5, 135_000, 'CITIZEN', 1],
    ['Cấp Giấy phép kinh doanh vận tải bằng xe ô tô', 'Đường bộ', 5, 0, 'BUSINESS', 0.4],
    ['Cấp phù hiệu xe ô tô kinh doanh vận tải', 'Đường bộ', 2, 0, 'BUSINESS', 2],
    ['Cấp giấy phép thi công công trình trên đường bộ đang khai thác', 'Đường bộ', 7, 0, 'BUSINESS', 0.3],
    ['Đăng ký phương tiện thủy nội địa lần đầu', 'Đường thủy nội địa', 3, 70_000, 'EITHER', 0.2],
    ['Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ', 'Đường bộ', 2, 0, 'BUSINESS', 0.4],
  ],
  SYT: [
    ['Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh', 'Khám bệnh, chữa bệnh', 30, 360_000, 'CITIZEN', 0.6],
    ['Cấp giấy phép hoạt động đối với phòng khám chuyên khoa', 'Khám bệnh, chữa bệnh', 30, 4_300_000, 'BUSINESS', 0.2],
    ['Cấp chứng chỉ hành nghề dược', 'Dược phẩm', 20, 500_000, 'CITIZEN', 0.4],
    ['Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược', 'Dược phẩm', 20, 1_000_000, 'BUSINESS', 0.4],
    ['Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', 'An toàn thực phẩm', 15, 1_000_000, 'BUSINESS', 0.5],
    ['Cấp giấy xác nhận nội dung quảng cáo mỹ phẩm', 'Mỹ phẩm', 10, 1_100_000, 'BUSINESS', 0.1],
  ],
  SGDDT: [
    ['Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 'Văn bằng, chứng chỉ', 2, 0, 'CITIZEN', 1],
    ['Chỉnh sửa nội dung văn bằng, chứng chỉ', 'Văn bằng, chứng chỉ', 5, 0, 'CITIZEN', 0.3],
    ['Công nhận văn bằng tốt nghiệp do cơ sở giáo dục nước ngoài cấp', 'Văn bằng, chứng chỉ', 20, 0, 'CITIZEN', 0.2],
    ['Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục', 'Giáo dục và Đào tạo', 15, 0, 'BUSINESS', 0.1],
    ['Cấp giấy phép tổ chức hoạt động dạy thêm, học thêm', 'Giáo dục và Đào tạo', 10, 0, 'EITHER', 0.2],
    ['Chuyển trường đối với học sinh trung học phổ thông', 'Giáo dục trung học', 3, 0, 'CITIZEN', 0.5],
  ],
  SLDTBXH: [
    ['Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam', 'Việc làm', 5, 600_000, 'BUSINESS', 1.5],
    ['Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động', 'Việc làm', 3, 0, 'BUSINESS', 0.5],
    ['Giải quyết hưởng trợ cấp thất nghiệp', 'Việc làm', 20, 0, 'CITIZEN', 3],
    ['Đăng ký nội quy lao động của doanh nghiệp', 'Lao động, tiền lương', 7, 0, 'BUSINESS', 0.4],
    ['Cấp giấy phép hoạt động cho thuê lại lao động', 'Lao động, tiền lương', 20, 0, 'BUSINESS', 0.05],
    ['Giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ', 'Người có công', 20, 0, 'CITIZEN', 0.3],
    ['Đăng ký hoạt động giáo dục nghề nghiệp', 'Giáo dục nghề nghiệp', 10, 0, 'BUSINESS', 0.1],
  ],
  SCT: [
    ['Cấp Giấy phép bán lẻ sản phẩm thuốc lá', 'Lưu thông hàng hóa trong nước', 15, 1_200_000, 'BUSINESS', 0.2],
    ['Cấp Giấy phép bán buôn sản phẩm rượu', 'Lưu thông hàng hóa trong nước', 15, 2_200_000, 'BUSINESS', 0.1],
    ['Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu', 'Kinh doanh xăng dầu', 15, 1_200_000, 'BUSINESS', 0.1],
    ['Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam', 'Thương mại quốc tế', 7, 3_000_000, 'BUSINESS', 0.1],
    ['Đăng ký thực hiện khuyến mại', 'Xúc tiến thương mại', 5, 0, 'BUSINESS', 1.5],
    ['Đăng ký tổ chức hội chợ, triển lãm thương mại tại Việt Nam', 'Xúc tiến thương mại', 5, 0, 'BUSINESS', 0.2],
  ],
  STC: [
    ['Đăng ký mã số đơn vị có quan hệ với ngân sách', 'Tin học - Thống kê', 2, 0, 'BUSINESS', 0.3],
    ['Hiệp thương giá', 'Quản lý giá', 15, 0, 'BUSINESS', 0.05],
  ],
  SNV: [
    ['Thành lập hội', 'Tổ chức phi chính phủ', 30, 0, 'CITIZEN', 0.05],
    ['Phê duyệt điều lệ hội', 'Tổ chức phi chính phủ', 30, 0, 'CITIZEN', 0.05],
    ['Cấp giấy phép thành lập và công nhận điều lệ quỹ', 'Tổ chức phi chính phủ', 30, 0, 'CITIZEN', 0.03],
    ['Đăng ký hoạt động tín ngưỡng', 'Tín ngưỡng, tôn giáo', 15, 0, 'CITIZEN', 0.1],
  ],
  SVHTT: [
    ['Cấp giấy phép tổ chức lễ hội', 'Văn hóa cơ sở', 15, 0, 'EITHER', 0.1],
    ['Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao', 'Thể dục thể thao', 7, 0, 'BUSINESS', 0.3],
    ['Cấp giấy phép thành lập bảo tàng ngoài công lập', 'Di sản văn hóa', 30, 0, 'EITHER', 0.02],
    ['Cấp giấy phép tổ chức thi người đẹp, người mẫu', 'Nghệ thuật biểu diễn', 15, 0, 'BUSINESS', 0.05],
  ],
  SDL: [
    ['Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa', 'Lữ hành', 10, 3_000_000, 'BUSINESS', 0.5],
    ['Cấp thẻ hướng dẫn viên du lịch quốc tế', 'Lữ hành', 10, 650_000, 'CITIZEN', 0.5],
    ['Cấp thẻ hướng dẫn viên du lịch nội địa', 'Lữ hành', 10, 650_000, 'CITIZEN', 0.4],
    ['Cấp đổi thẻ hướng dẫn viên du lịch', 'Lữ hành', 10, 650_000, 'CITIZEN', 0.3],
    ['Công nhận hạng cơ sở lưu trú du lịch: hạng 1 sao, 2 sao', 'Khách sạn', 30, 1_500_000, 'BUSINESS', 0.4],
  ],
  SNNPTNT: [
    ['Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh nông lâm thủy sản', 'Quản lý chất lượng nông lâm sản và thủy sản', 15, 700_000, 'BUSINESS', 0.3],
    ['Cấp văn bản chấp thuận khai thác thủy sản', 'Thủy sản', 5, 0, 'CITIZEN', 0.3],
    ['Đăng ký tàu cá', 'Thủy sản', 3, 70_000, 'CITIZEN', 0.3],
    ['Cấp chứng chỉ hành nghề thú y', 'Thú y', 5, 100_000, 'CITIZEN', 0.1],
    ['Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật', 'Bảo vệ thực vật', 20, 500_000, 'BUSINESS', 0.1],
  ],
  SKHCN: [
    ['Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ', 'Hoạt động khoa học và công nghệ', 15, 0, 'BUSINESS', 0.1],
    ['Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ', 'Hoạt động khoa học và công nghệ', 7, 0, 'BUSINESS', 0.05],
    ['Cấp giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế', 'An toàn bức xạ và hạt nhân', 10, 2_000_000, 'BUSINESS', 0.2],
    ['Cấp Giấy chứng nhận đăng ký chuyển giao công nghệ', 'Chuyển giao công nghệ', 15, 0, 'BUSINESS', 0.05],
  ],
};

/** Household and civil-status procedures each district people's committee handles. */
const DISTRICT_PROCEDURES: readonly Row[] = [
  ['Đăng ký khai sinh', 'Hộ tịch', 1, 0, 'CITIZEN', 8],
  ['Đăng ký kết hôn', 'Hộ tịch', 5, 0, 'CITIZEN', 3, true],
  ['Đăng ký khai tử', 'Hộ tịch', 1, 0, 'CITIZEN', 2],
  ['Cấp Giấy xác nhận tình trạng hôn nhân', 'Hộ tịch', 3, 0, 'CITIZEN', 3],
  ['Chứng thực bản sao từ bản chính giấy tờ, văn bản', 'Chứng thực', 1, 2_000, 'CITIZEN', 10],
  ['Đăng ký thành lập hộ kinh doanh', 'Đăng ký kinh doanh', 3, 100_000, 'BUSINESS', 3],
  ['Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Hoạt động xây dựng', 15, 75_000, 'CITIZEN', 3],
  ['Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu', 'Đất đai', 30, 100_000, 'CITIZEN', 2],
];

/** The share of procedures offered fully online ("toàn trình"), from the source article. */
export const FULL_ONLINE_SHARE = 0.95;

export interface ProcedureSeed {
  id: number;
  code: string;
  name: string;
  agencyId: number;
  field: string;
  serviceLevel: 'FULL_ONLINE' | 'PARTIAL_ONLINE';
  processingDays: number;
  fee: number;
  applicant: ProcedureApplicant;
  weight: number;
  /** The district unit a district committee's procedure serves; null for city-level ones. */
  districtUnitId: number | null;
  /** Index of the catalogue entry: district committees share one entry per procedure. */
  templateIndex: number;
}

/**
 * The procedure catalogue with stable ids: city departments' procedures first (national-style
 * codes), then each district committee's (local codes). Exactly round(95%) are FULL_ONLINE: the
 * ones needing the applicant in person are partial first, then from the end of the list.
 */
export function procedures(): ProcedureSeed[] {
  const byCode = new Map(agencies().map((a) => [a.code, a]));
  const rows: ProcedureSeed[] = [];
  const inPerson: boolean[] = [];
  let templateIndex = 0;
  for (const [agencyCode, entries] of Object.entries(DEPARTMENT_PROCEDURES)) {
    const agency = byCode.get(agencyCode);
    if (!agency) throw new Error(`services seed: unknown agency ${agencyCode}`);
    for (const entry of entries) {
      const t = template(entry);
      const id = rows.length + 1;
      rows.push({
        id, code: `1.00${String(1000 + id * 53).padStart(4, '0')}`, name: t.name, agencyId: agency.id, field: t.field,
        serviceLevel: 'FULL_ONLINE', processingDays: t.days, fee: t.fee, applicant: t.applicant, weight: t.weight,
        districtUnitId: null, templateIndex,
      });
      inPerson.push(Boolean(t.inPerson));
      templateIndex += 1;
    }
  }
  const committees = agencies().filter((a) => a.kind === 'DISTRICT_COMMITTEE');
  DISTRICT_PROCEDURES.forEach((entry, index) => {
    const t = template(entry);
    for (const committee of committees) {
      rows.push({
        id: rows.length + 1, code: `DNG-${committee.code}-${String(index + 1).padStart(3, '0')}`, name: t.name,
        agencyId: committee.id, field: t.field, serviceLevel: 'FULL_ONLINE', processingDays: t.days, fee: t.fee,
        applicant: t.applicant, weight: t.weight, districtUnitId: committee.unitId, templateIndex: templateIndex + index,
      });
      inPerson.push(Boolean(t.inPerson));
    }
  });

  const partial = rows.length - Math.round(FULL_ONLINE_SHARE * rows.length);
  const candidates = [...rows.keys()].filter((i) => inPerson[i]);
  for (let i = rows.length - 1; candidates.length < partial && i >= 0; i -= 1) if (!inPerson[i]) candidates.push(i);
  for (const i of candidates.slice(0, partial)) rows[i]!.serviceLevel = 'PARTIAL_ONLINE';
  return rows;
}
