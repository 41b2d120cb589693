import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { Gender } from './population.enums.js';

@InputType('CitizenFilter')
export class CitizenFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of a ward.' })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a district: citizens of any of its wards.' })
  districtId?: string | null;

  @Field(() => ID, { nullable: true })
  householdId?: string | null;

  @Field(() => Gender, { nullable: true })
  gender?: Gender | null;

  @Field(() => LocalDateResolver, { nullable: true })
  bornFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  bornTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the full name; case and diacritics ignored ("nguyen van quang" finds "Nguyễn Văn Quảng").' })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact 12-digit national id.' })
  nationalId?: string | null;
}

@InputType('HouseholdFilter')
export class HouseholdFilter {
  @Field(() => ID, { nullable: true })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a district.' })
  districtId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the address; case and diacritics ignored.' })
  search?: string | null;
}
