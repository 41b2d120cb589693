import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { AGENCY_KINDS, AGENCY_ORDERS, UNIT_LEVELS, UNIT_ORDERS } from '../db/index.js';

export type UnitLevel = EnumValue<typeof UnitLevel>;
export const UnitLevel = vocabularyEnum(UNIT_LEVELS, {
  name: 'UnitLevel',
  description: 'City; district (quận, huyện); ward or commune (phường, xã).',
  valuesConfig: {
    CITY: { description: 'The city of Đà Nẵng itself (thành phố).' },
    DISTRICT: { description: 'An urban district (quận) or a rural district (huyện).' },
    WARD: { description: 'A ward (phường) or a commune (xã).' },
  },
});

export type AgencyKind = EnumValue<typeof AgencyKind>;
export const AgencyKind = vocabularyEnum(AGENCY_KINDS, {
  name: 'AgencyKind',
  description: "A city department (Sở), a district people's committee, or a centre such as the IOC.",
  valuesConfig: {
    DEPARTMENT: { description: 'A department of the city (Sở), e.g. the Department of Information and Communications (Sở Thông tin và Truyền thông).' },
    DISTRICT_COMMITTEE: { description: "A district people's committee (Ủy ban nhân dân quận/huyện)." },
    CENTRE: { description: 'A centre, such as the Intelligent Operations Center (IOC) or the public administration service centre.' },
  },
});

export type UnitOrder = EnumValue<typeof UnitOrder>;
export const UnitOrder = vocabularyEnum(UNIT_ORDERS, {
  name: 'UnitOrder',
  description: 'Orderings of administrative units.',
  valuesConfig: {
    NAME: { description: 'By name without designation, A to Z.' },
    CODE: { description: 'By unit code, ascending.' },
  },
});

export type AgencyOrder = EnumValue<typeof AgencyOrder>;
export const AgencyOrder = vocabularyEnum(AGENCY_ORDERS, {
  name: 'AgencyOrder',
  description: 'Orderings of agencies.',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    CODE: { description: 'By short code, ascending.' },
  },
});
