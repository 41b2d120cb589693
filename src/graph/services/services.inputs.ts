import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { DossierChannel, DossierStatus, ServiceLevel } from './services.enums.js';

@InputType('DossierFilter')
export class DossierFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of the handling agency.' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true })
  procedureId?: string | null;

  @Field(() => [DossierStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: DossierStatus[] | null;

  @Field(() => DossierChannel, { nullable: true })
  channel?: DossierChannel | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the applicant (a Citizen or a Business).' })
  applicantId?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted at or after.' })
  submittedFrom?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted before.' })
  submittedTo?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Due before.' })
  dueBefore?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Closed late, or open past the due time (true); the others (false).' })
  overdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Global id of a ward.' })
  wardId?: string | null;
}

@InputType('DossierStatisticsFilter')
export class DossierStatisticsFilter {
  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted at or after.' })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted before.' })
  to?: Date | null;

  @Field(() => ID, { nullable: true })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true })
  procedureId?: string | null;
}

@InputType('ProcedureFilter')
export class ProcedureFilter {
  @Field(() => ID, { nullable: true })
  agencyId?: string | null;

  @Field(() => ServiceLevel, { nullable: true })
  serviceLevel?: ServiceLevel | null;

  @Field(() => String, { nullable: true })
  field?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored.' })
  search?: string | null;
}
