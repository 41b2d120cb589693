import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { ProcedureResultHolderKind, ProcedureResultKind, ProcedureResultStatus } from './results.enums.js';

@InputType('ProcedureResultFilter', { description: 'Conditions on procedure results; all given conditions must hold.' })
export class ProcedureResultFilter {
  @Field(() => [ProcedureResultKind], { nullable: true, description: 'Any of these kinds.' })
  kind?: ProcedureResultKind[] | null;

  @Field(() => [ProcedureResultStatus], { nullable: true, description: 'Any of these statuses, as they stand at the time of the request.' })
  status?: ProcedureResultStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the issuing agency.' })
  issuingAgencyId?: string | null;

  @Field(() => ProcedureResultHolderKind, { nullable: true, description: 'Only results issued to citizens, or only to businesses.' })
  holderKind?: ProcedureResultHolderKind | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Issued at or after.' })
  issuedFrom?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Issued before.' })
  issuedTo?: Date | null;
}
