import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { BusinessKind, BusinessStatus, LegalForm } from './business.enums.js';

@InputType('BusinessFilter')
export class BusinessFilter {
  @Field(() => BusinessKind, { nullable: true })
  kind?: BusinessKind | null;

  @Field(() => BusinessStatus, { nullable: true })
  status?: BusinessStatus | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a ward.' })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a district.' })
  districtId?: string | null;

  @Field(() => String, { nullable: true, description: 'VSIC code or prefix: "6201" one industry, "62" the division.' })
  industryCode?: string | null;

  @Field(() => LegalForm, { nullable: true })
  legalForm?: LegalForm | null;

  @Field(() => Boolean, { nullable: true })
  digitalTech?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored.' })
  search?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  registeredFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  registeredTo?: string | null;
}
