import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { BUSINESS_KINDS, BUSINESS_ORDERS, BUSINESS_STATUSES, LEGAL_FORMS } from '../db/index.js';

export type BusinessKind = EnumValue<typeof BusinessKind>;
export const BusinessKind = vocabularyEnum(BUSINESS_KINDS, {
  name: 'BusinessKind',
  description: 'An enterprise (doanh nghiệp) or a household business (hộ kinh doanh).',
  valuesConfig: {
    ENTERPRISE: { description: 'An enterprise (doanh nghiệp), identified by its enterprise code (mã số doanh nghiệp).' },
    HOUSEHOLD_BUSINESS: { description: 'A household business (hộ kinh doanh), identified by its registration number.' },
  },
});

export type LegalForm = EnumValue<typeof LegalForm>;
export const LegalForm = vocabularyEnum(LEGAL_FORMS, {
  name: 'LegalForm',
  description: 'Legal form (loại hình) under the Law on Enterprises.',
  valuesConfig: {
    LLC_ONE_MEMBER: { description: 'Single-member limited liability company (công ty TNHH một thành viên).' },
    LLC_MULTI_MEMBER: { description: 'Limited liability company with two or more members (công ty TNHH hai thành viên trở lên).' },
    JOINT_STOCK: { description: 'Joint-stock company (công ty cổ phần).' },
    PRIVATE: { description: 'Private enterprise (doanh nghiệp tư nhân).' },
    PARTNERSHIP: { description: 'Partnership (công ty hợp danh).' },
    HOUSEHOLD: { description: 'Household business (hộ kinh doanh).' },
  },
});

export type BusinessStatus = EnumValue<typeof BusinessStatus>;
export const BusinessStatus = vocabularyEnum(BUSINESS_STATUSES, {
  name: 'BusinessStatus',
  description: 'Standing in the business register.',
  valuesConfig: {
    ACTIVE: { description: 'Operating (đang hoạt động).' },
    SUSPENDED: { description: 'Business temporarily suspended (tạm ngừng kinh doanh).' },
    DISSOLVED: { description: 'Dissolved (đã giải thể).' },
  },
});

export type BusinessOrder = EnumValue<typeof BusinessOrder>;
export const BusinessOrder = vocabularyEnum(BUSINESS_ORDERS, {
  name: 'BusinessOrder',
  description: 'NAME ascending; REGISTERED_ON newest first; CHARTER_CAPITAL largest first.',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    REGISTERED_ON: { description: 'By registration date, newest first.' },
    CHARTER_CAPITAL: { description: 'By charter capital, largest first; businesses without one last.' },
  },
});
