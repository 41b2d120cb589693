import { registerEnumType } from 'type-graphql';

export enum UnitLevel {
  CITY = 'CITY',
  DISTRICT = 'DISTRICT',
  WARD = 'WARD',
}
registerEnumType(UnitLevel, { name: 'UnitLevel', description: 'City; district (quận, huyện); ward or commune (phường, xã).' });

export enum AgencyKind {
  DEPARTMENT = 'DEPARTMENT',
  DISTRICT_COMMITTEE = 'DISTRICT_COMMITTEE',
  CENTRE = 'CENTRE',
}
registerEnumType(AgencyKind, { name: 'AgencyKind', description: "A city department (Sở), a district people's committee, or a centre such as the IOC." });

export enum UnitOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(UnitOrder, { name: 'UnitOrder' });

export enum AgencyOrder {
  NAME = 'NAME',
  CODE = 'CODE',
}
registerEnumType(AgencyOrder, { name: 'AgencyOrder' });
