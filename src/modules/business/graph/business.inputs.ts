import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { BusinessKind, BusinessStatus, LegalForm } from './business.enums.js';

@InputType('BusinessFilter', { description: 'Conditions on businesses; all given conditions must hold.' })
export class BusinessFilter {
  @Field(() => BusinessKind, { nullable: true, description: 'Only enterprises (doanh nghiệp) or only household businesses (hộ kinh doanh).' })
  kind?: BusinessKind | null;

  @Field(() => BusinessStatus, { nullable: true, description: 'Only businesses with this status.' })
  status?: BusinessStatus | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a ward (phường/xã).' })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a district (quận/huyện): businesses in any of its wards.' })
  districtId?: string | null;

  @Field(() => String, { nullable: true, description: 'VSIC code or prefix: "6201" one industry, "62" the division.' })
  industryCode?: string | null;

  @Field(() => LegalForm, { nullable: true, description: 'Only businesses of this legal form.' })
  legalForm?: LegalForm | null;

  @Field(() => Boolean, { nullable: true, description: 'True: digital technology enterprises only; false: the others only.' })
  digitalTech?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored.' })
  search?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Registered on or after this date.' })
  registeredFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Registered on or before this date.' })
  registeredTo?: string | null;
}
