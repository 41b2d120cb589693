import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { IndicatorVisibility } from './ioc.enums.js';

/** Filters of an agency's indicators (`Agency.indicators`); `IndicatorFilter` adds the owner. */
@InputType('OwnerIndicatorFilter', { description: 'Conditions on one agency’s indicators; all given conditions must hold.' })
export class OwnerIndicatorFilter {
  @Field(() => String, { nullable: true, description: 'Exact category, e.g. "Chính quyền số".' })
  category?: string | null;

  @Field(() => IndicatorVisibility, { nullable: true, description: 'Only indicators of this visibility (among those the caller may see).' })
  visibility?: IndicatorVisibility | null;

  @Field(() => String, { nullable: true, description: 'Words of the name; case and diacritics ignored ("da nang" finds "Đà Nẵng").' })
  search?: string | null;
}

@InputType('IndicatorFilter', { description: 'Conditions on the IOC’s indicators; all given conditions must hold.' })
export class IndicatorFilter extends OwnerIndicatorFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of the owning agency.' })
  ownerId?: string | null;
}

@InputType('ObservationFilter', { description: 'Conditions on an indicator’s observed values; all given conditions must hold.' })
export class ObservationFilter {
  @Field(() => ID, { nullable: true, description: "Global id of a ward: that ward's values." })
  wardId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'True: city-wide values only; false: ward values only.' })
  cityWide?: boolean | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Periods from this date on (inclusive).' })
  from?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Periods up to this date (inclusive).' })
  to?: string | null;
}
