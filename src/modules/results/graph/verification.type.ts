import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { statusAt, type VerificationRow } from '../db/index.js';
import { ProcedureResultKind, ProcedureResultVerificationStatus } from './results.enums.js';

/**
 * The public answer to "is this document genuine, and does it still hold?". It tells what the
 * document itself shows (kind, dates, issuing agency) and nothing about its holder; for a wrong
 * hash it tells nothing at all, exactly as for an unknown number.
 */
@ObjectType('ProcedureResultVerification', {
  description: 'The public verification of a result document by its number and SHA-256: valid, revoked, expired or unknown, and nothing about the holder.',
})
export class ProcedureResultVerification {
  issuingAgencyId: number | null;

  @Field(() => String, { description: 'The result number presented.' })
  number: string;

  @Field(() => ProcedureResultVerificationStatus, { description: 'VALID, REVOKED or EXPIRED when the number and hash name a result; UNKNOWN otherwise.' })
  status: ProcedureResultVerificationStatus;

  @Field(() => DateTimeResolver, { description: 'The moment the status was judged at.' })
  checkedAt: Date;

  @Field(() => ProcedureResultKind, { nullable: true, description: 'What kind of document it is; null when UNKNOWN.' })
  kind: ProcedureResultKind | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was issued; null when UNKNOWN.' })
  issuedAt: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'End of validity; null when UNKNOWN or valid without a time limit.' })
  validUntil: Date | null;

  static of(number: string, row: VerificationRow | null, now: Date): ProcedureResultVerification {
    return Object.assign(new ProcedureResultVerification(), {
      number,
      status: row ? statusAt(row, now) : 'UNKNOWN',
      checkedAt: now,
      kind: row?.kind ?? null,
      issuedAt: row?.issued_at ?? null,
      validUntil: row?.valid_until ?? null,
      issuingAgencyId: row?.issuing_agency_id ?? null,
    });
  }
}
