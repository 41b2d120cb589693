import { registerEnumType } from 'type-graphql';

export enum UnitLevel {
  CITY = 'CITY',
  DISTRICT = 'DISTRICT',
  WARD = 'WARD',
}
registerEnumType(UnitLevel, {
  name: 'UnitLevel',
  description: 'City; district (quận, huyện); ward or commune (phường, xã).',
  valuesConfig: {
    CITY: { description: 'The city of Đà Nẵng itself (thành phố).' },
    DISTRICT: { description: 'An urban district (quận) or a rural district (huyện).' },
    WARD: { description: 'A ward (phường) or a commune (xã).' },
  },
});

export enum AgencyKind {
  DEPARTMENT = 'DEPARTMENT',
  DISTRICT_COMMITTEE = 'DISTRICT_COMMITTEE',
  CENTRE = 'CENTRE',
}
registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: "A city department (Sở), a district people's committee, or a centre such as the IOC.",
  valuesConfig: {
    DEPARTMENT: { description: 'A department of the city (Sở), e.g. the Department of Information and Communications (Sở Thông tin và Truyền thông).' },
    DISTRICT_COMMITTEE: { description: "A district people's committee (Ủy ban nhân dân quận/huyện)." },
    CENTRE: { description: 'A centre, such as the Intelligent Operations Center (IOC) or the public administration service centre.' },
  },
});

export enum UnitOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(UnitOrder, {
  name: 'UnitOrder',
  description: 'Orderings of administrative units.',
  valuesConfig: {
    NAME: { description: 'By name without designation, A to Z.' },
    CODE: { description: 'By unit code, ascending.' },
  },
});

export enum AgencyOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(AgencyOrder, {
  name: 'AgencyOrder',
  description: 'Orderings of agencies.',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    CODE: { description: 'By short code, ascending.' },
  },
});
