import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { PersonalCriterion } from '../../../access/graphql/personal.js';
import { Gender } from './population.enums.js';

@InputType('CitizenFilter', { description: 'Conditions on citizens (công dân); all given conditions must hold. Each one uses a personal field and needs read access to it.' })
export class CitizenFilter {
  @PersonalCriterion('WARD', { reveals: 'ward', as: 'filter by ward or district', part: { label: 'ward' } })
  @Field(() => ID, { nullable: true, description: 'Global id of a ward (phường/xã).' })
  wardId?: string | null;

  @PersonalCriterion('WARD', { reveals: 'ward', as: 'filter by ward or district', part: { label: 'district' } })
  @Field(() => ID, { nullable: true, description: 'Global id of a district: citizens of any of its wards.' })
  districtId?: string | null;

  @PersonalCriterion('HOUSEHOLD', { reveals: 'household', as: 'filter by household' })
  @Field(() => ID, { nullable: true, description: 'Global id of a household (hộ khẩu): its members.' })
  householdId?: string | null;

  @PersonalCriterion('GENDER', { reveals: 'gender', as: 'filter by gender' })
  @Field(() => Gender, { nullable: true, description: 'Only citizens of this gender.' })
  gender?: Gender | null;

  @PersonalCriterion('BIRTH_DATE', { reveals: 'birthDate', as: 'filter by birth date', part: { range: 'from' } })
  @Field(() => LocalDateResolver, { nullable: true, description: 'Born on or after this date.' })
  bornFrom?: string | null;

  @PersonalCriterion('BIRTH_DATE', { reveals: 'birthDate', as: 'filter by birth date', part: { range: 'to' } })
  @Field(() => LocalDateResolver, { nullable: true, description: 'Born on or before this date.' })
  bornTo?: string | null;

  @PersonalCriterion('NAME', { reveals: 'fullName', as: 'search by name' })
  @Field(() => String, { nullable: true, description: 'Part of the full name; case and diacritics ignored ("nguyen van quang" finds "Nguyễn Văn Quảng").' })
  search?: string | null;

  @PersonalCriterion('NATIONAL_ID', { reveals: 'nationalId', as: 'filter by national id' })
  @Field(() => String, { nullable: true, description: 'Exact 12-digit national id (căn cước).' })
  nationalId?: string | null;
}

@InputType('HouseholdFilter', { description: 'Conditions on households (hộ khẩu); all given conditions must hold.' })
export class HouseholdFilter {
  @PersonalCriterion('WARD', { reveals: 'ward', as: 'filter by ward or district', part: { label: 'ward' } })
  @Field(() => ID, { nullable: true, description: 'Global id of a ward (phường/xã).' })
  wardId?: string | null;

  @PersonalCriterion('WARD', { reveals: 'ward', as: 'filter by ward or district', part: { label: 'district' } })
  @Field(() => ID, { nullable: true, description: 'Global id of a district.' })
  districtId?: string | null;

  @PersonalCriterion('ADDRESS', { reveals: 'address', as: 'search by address' })
  @Field(() => String, { nullable: true, description: 'Part of the address; case and diacritics ignored.' })
  search?: string | null;
}
