import { LocalDateResolver } from 'graphql-scalars';
import { createUnionType, Field, ObjectType } from 'type-graphql';
import { Personal, PersonalDataType } from '../../../access/graphql/personal.js';
import type { HoldsPersonalData, PersonalSubject } from '../../../access/subject.js';
import type { ProcedureResultRow } from '../db/index.js';

/**
 * A citizen holder's data as printed on the result document (at issuance): personal data of that
 * citizen, guarded field by field by the same rules as the citizen's own record (Citizen.fullName,
 * nationalId, birthDate), and logged as reads of that citizen.
 */
@PersonalDataType('CITIZEN')
@ObjectType('PrintedCitizenHolder', {
  description: "A citizen holder as printed on the result document when it was issued. Every field is the citizen's personal data: null with a FORBIDDEN error where the caller may not see it.",
})
export class PrintedCitizenHolder implements HoldsPersonalData {
  /** The holder's row id in the population source: whose data this is. */
  citizenId: number;

  @Personal('NAME')
  @Field(() => String, { nullable: true, description: 'Full name (họ và tên) as printed, family name first.' })
  fullName: string | null;

  @Personal('NATIONAL_ID')
  @Field(() => String, { nullable: true, description: '12-digit national identity (căn cước) number as printed.' })
  nationalId: string | null;

  @Personal('BIRTH_DATE')
  @Field(() => LocalDateResolver, { nullable: true, description: 'Date of birth as printed.' })
  birthDate: string | null;

  personalSubject(): PersonalSubject {
    return { type: 'CITIZEN', rowId: this.citizenId, nationalId: this.nationalId };
  }

  static from(row: ProcedureResultRow): PrintedCitizenHolder {
    return Object.assign(new PrintedCitizenHolder(), {
      citizenId: row.holder_id,
      fullName: row.holder_name,
      nationalId: row.holder_national_id,
      birthDate: row.holder_birth_date,
    });
  }
}

/**
 * A business holder as printed: its registered name and code are public register data (the
 * business register's public profile shows both), so they are not personal fields.
 */
@ObjectType('PrintedBusinessHolder', { description: 'A business holder as printed on the result document when it was issued: public register data.' })
export class PrintedBusinessHolder {
  @Field(() => String, { description: 'Registered name as printed.' })
  name: string;

  @Field(() => String, { description: 'Enterprise code (mã số doanh nghiệp) or household business registration number as printed.' })
  code: string;

  static from(row: ProcedureResultRow): PrintedBusinessHolder {
    return Object.assign(new PrintedBusinessHolder(), { name: row.holder_name, code: row.holder_business_code ?? '' });
  }
}

export const ProcedureResultPrintedHolder = createUnionType({
  name: 'ProcedureResultPrintedHolder',
  description: 'The holder as printed on a result document: a citizen (personal data) or a business (public register data).',
  // No resolveType: type-graphql's own resolves by class (instanceof) synchronously; a custom one
  // is wrapped in an async function, and graphql-jit calls resolveType synchronously.
  types: () => [PrintedCitizenHolder, PrintedBusinessHolder] as const,
});

export function printedHolderOf(row: ProcedureResultRow): PrintedCitizenHolder | PrintedBusinessHolder {
  return row.holder_kind === 'CITIZEN' ? PrintedCitizenHolder.from(row) : PrintedBusinessHolder.from(row);
}
