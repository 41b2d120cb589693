import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { CITIZEN_ORDERS, GENDERS, HOUSEHOLD_ORDERS } from '../db/index.js';

export type Gender = EnumValue<typeof Gender>;
export const Gender = vocabularyEnum(GENDERS, {
  name: 'Gender',
  description: 'Gender (giới tính) as recorded in the population database.',
  valuesConfig: {
    MALE: { description: 'Male (nam).' },
    FEMALE: { description: 'Female (nữ).' },
  },
});

export type CitizenOrder = EnumValue<typeof CitizenOrder>;
export const CitizenOrder = vocabularyEnum(CITIZEN_ORDERS, {
  name: 'CitizenOrder',
  description: 'NAME and BIRTH_DATE ascending; NEWEST registered first.',
  valuesConfig: {
    NAME: { description: 'By full name, A to Z (needs read access to names).' },
    BIRTH_DATE: { description: 'By date of birth, oldest first (needs read access to birth dates).' },
    NEWEST: { description: 'Newest registration in the database first; reveals no personal field.' },
  },
});

export type HouseholdOrder = EnumValue<typeof HouseholdOrder>;
export const HouseholdOrder = vocabularyEnum(HOUSEHOLD_ORDERS, {
  name: 'HouseholdOrder',
  description: 'Orderings of households (hộ khẩu).',
  valuesConfig: {
    CODE: { description: 'By resident register number, ascending (needs read access to household data).' },
    ADDRESS: { description: 'By address, A to Z (needs read access to addresses).' },
  },
});
