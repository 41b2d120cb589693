import { registerEnumType } from 'type-graphql';

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(Gender, {
  name: 'Gender',
  description: 'Gender (giới tính) as recorded in the population database.',
  valuesConfig: {
    MALE: { description: 'Male (nam).' },
    FEMALE: { description: 'Female (nữ).' },
  },
});

export enum CitizenOrder {
  NAME = 'NAME',
  BIRTH_DATE = 'BIRTH_DATE',
  NEWEST = 'NEWEST',
}
registerEnumType(CitizenOrder, {
  name: 'CitizenOrder',
  description: 'NAME and BIRTH_DATE ascending; NEWEST registered first.',
  valuesConfig: {
    NAME: { description: 'By full name, A to Z (needs read access to names).' },
    BIRTH_DATE: { description: 'By date of birth, oldest first (needs read access to birth dates).' },
    NEWEST: { description: 'Newest registration in the database first; reveals no personal field.' },
  },
});

export enum HouseholdOrder {
  CODE = 'CODE',
  ADDRESS = 'ADDRESS',
}
registerEnumType(HouseholdOrder, {
  name: 'HouseholdOrder',
  description: 'Orderings of households (hộ khẩu).',
  valuesConfig: {
    CODE: { description: 'By resident register number, ascending (needs read access to household data).' },
    ADDRESS: { description: 'By address, A to Z (needs read access to addresses).' },
  },
});
