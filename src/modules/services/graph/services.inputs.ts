import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { DossierChannel, DossierStatus, ServiceLevel } from './services.enums.js';

@InputType('DossierFilter', { description: 'Conditions on dossiers (hồ sơ); all given conditions must hold.' })
export class DossierFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of the handling agency.' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the procedure (thủ tục hành chính) applied for.' })
  procedureId?: string | null;

  @Field(() => [DossierStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: DossierStatus[] | null;

  @Field(() => DossierChannel, { nullable: true, description: 'Only dossiers received through this channel.' })
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

  @Field(() => ID, { nullable: true, description: 'Global id of a ward (phường/xã): the dossiers recorded under it.' })
  wardId?: string | null;
}

@InputType('DossierStatisticsFilter', { description: 'Which dossiers the statistics count; all given conditions must hold.' })
export class DossierStatisticsFilter {
  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted at or after.' })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted before.' })
  to?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the handling agency.' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the procedure (thủ tục hành chính).' })
  procedureId?: string | null;
}

@InputType('ProcedureFilter', { description: 'Conditions on administrative procedures (thủ tục hành chính); all given conditions must hold.' })
export class ProcedureFilter {
  @Field(() => ID, { nullable: true, description: 'Global id of the agency that handles the procedure.' })
  agencyId?: string | null;

  @Field(() => ServiceLevel, { nullable: true, description: 'Only procedures offered at this level of online service.' })
  serviceLevel?: ServiceLevel | null;

  @Field(() => String, { nullable: true, description: 'Exact sector (lĩnh vực), e.g. "Đăng ký kinh doanh".' })
  field?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name; case and diacritics ignored.' })
  search?: string | null;
}
