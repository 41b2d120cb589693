import { registerEnumType } from 'type-graphql';

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(Gender, { name: 'Gender' });

export enum CitizenOrder {
  NAME = 'NAME',
  BIRTH_DATE = 'BIRTH_DATE',
  NEWEST = 'NEWEST',
}
registerEnumType(CitizenOrder, { name: 'CitizenOrder', description: 'NAME and BIRTH_DATE ascending; NEWEST registered first.' });

export enum HouseholdOrder {
  CODE = 'CODE',
  ADDRESS = 'ADDRESS',
}
registerEnumType(HouseholdOrder, { name: 'HouseholdOrder' });
