import { Field, ID, InputType } from 'type-graphql';
import { AgencyKind, UnitLevel } from './reference.enums.js';

@InputType('AdministrativeUnitFilter', { description: 'Conditions on administrative units; all given conditions must hold.' })
export class AdministrativeUnitFilter {
  @Field(() => UnitLevel, { nullable: true, description: 'Only units of this level (e.g. WARD for wards and communes, phường/xã).' })
  level?: UnitLevel | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the parent unit (a district, for its wards).' })
  parentId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored ("hai chau" finds "Hải Châu").' })
  search?: string | null;
}

@InputType('AgencyFilter', { description: 'Conditions on agencies; all given conditions must hold.' })
export class AgencyFilter {
  @Field(() => AgencyKind, { nullable: true, description: 'Only agencies of this kind.' })
  kind?: AgencyKind | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the administrative unit the agency serves.' })
  unitId?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored.' })
  search?: string | null;
}
