import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { AccessOutcome } from './audit.enums.js';

@InputType('AccessLogFilter', { description: 'Conditions on access log entries; all given conditions must hold.' })
export class AccessLogFilter {
  @Field(() => String, { nullable: true, description: 'CITIZEN or HOUSEHOLD.' })
  subjectType?: string | null;

  @Field(() => String, { nullable: true, description: 'Row id of the person whose data was read.' })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: "The reader's subject." })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: "The reader's agency code." })
  agency?: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose declared by the reader (x-purpose), e.g. "CITIZEN_REQUEST".' })
  purpose?: string | null;

  @Field(() => AccessOutcome, { nullable: true, description: 'Only entries with this outcome; FOUND_BY also takes the reads of people found by personal fields (foundBy not empty).' })
  outcome?: AccessOutcome | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'At or after.' })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Before.' })
  to?: Date | null;
}
