import { Field, ID, InputType } from 'type-graphql';
import { AgencyKind, UnitLevel } from './reference.enums.js';

@InputType('AdministrativeUnitFilter')
export class AdministrativeUnitFilter {
  @Field(() => UnitLevel, { nullable: true })
  level?: UnitLevel | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the parent unit (a district, for its wards).' })
  parentId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored ("hai chau" finds "Hải Châu").' })
  search?: string | null;
}

@InputType('AgencyFilter')
export class AgencyFilter {
  @Field(() => AgencyKind, { nullable: true })
  kind?: AgencyKind | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the administrative unit the agency serves.' })
  unitId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored.' })
  search?: string | null;
}
