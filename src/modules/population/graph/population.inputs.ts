import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { Gender } from './population.enums.js';

@InputType('CitizenFilter', { description: 'Conditions on citizens (công dân); all given conditions must hold. Each one uses a personal field and needs read access to it.' })
export class CitizenFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of a ward (phường/xã).' })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a district: citizens of any of its wards.' })
  districtId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a household (hộ khẩu): its members.' })
  householdId?: string | null;

  @Field(() => Gender, { nullable: true, description: 'Only citizens of this gender.' })
  gender?: Gender | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Born on or after this date.' })
  bornFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Born on or before this date.' })
  bornTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the full name; case and diacritics ignored ("nguyen van quang" finds "Nguyễn Văn Quảng").' })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact 12-digit national id (căn cước).' })
  nationalId?: string | null;
}

@InputType('HouseholdFilter', { description: 'Conditions on households (hộ khẩu); all given conditions must hold.' })
export class HouseholdFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of a ward (phường/xã).' })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a district.' })
  districtId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the address; case and diacritics ignored.' })
  search?: string | null;
}
