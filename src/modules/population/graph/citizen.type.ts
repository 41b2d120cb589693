import { EmailAddressResolver, LocalDateResolver, PhoneNumberResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { CitizenRow } from '../db/index.js';
import { Personal, PersonalDataType } from '../../../access/graphql/personal.js';
import type { HoldsPersonalData, PersonalSubject } from '../../../access/subject.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { Gender } from './population.enums.js';

/** Vietnamese mobile numbers are stored nationally (09x...); the API gives E.164 (+849x...). */
function toE164(phone: string | null): string | null {
  return phone ? `+84${phone.replace(/^0/, '')}` : null;
}

@PersonalDataType('CITIZEN')
@ObjectType('Citizen', {
  implements: Node,
  description: 'A citizen (công dân) in the population database. Every field but the id is personal data: null with a FORBIDDEN error where the caller may not see it.',
})
export class Citizen extends Node implements HoldsPersonalData {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  wardId: number;
  householdId: number;

  @Personal('NAME')
  @Field(() => String, { nullable: true, description: 'Full name (họ và tên), family name first, e.g. "Nguyễn Văn Quảng".' })
  fullName: string | null;

  @Personal('GENDER')
  @Field(() => Gender, { nullable: true, description: 'Gender (giới tính).' })
  gender: Gender | null;

  @Personal('NATIONAL_ID')
  @Field(() => String, { nullable: true, description: '12-digit national identity (căn cước) number.' })
  nationalId: string | null;

  @Personal('BIRTH_DATE')
  @Field(() => LocalDateResolver, { nullable: true, description: 'Date of birth.' })
  birthDate: string | null;

  @Personal('PHONE')
  @Field(() => PhoneNumberResolver, { nullable: true, description: 'Mobile number in E.164 form, e.g. "+84905123456"; null when none is recorded.' })
  phone: string | null;

  @Personal('EMAIL')
  @Field(() => EmailAddressResolver, { nullable: true, description: 'E-mail address; null when none is recorded.' })
  email: string | null;

  @Personal('ADDRESS')
  @Field(() => String, { nullable: true, description: 'Permanent address (địa chỉ thường trú).' })
  address: string | null;

  personalSubject(): PersonalSubject {
    return { type: 'CITIZEN', rowId: this.rowId, nationalId: this.nationalId };
  }

  static from(row: CitizenRow): Citizen {
    return Object.assign(new Citizen(), {
      id: toGlobalId('Citizen', row.id),
      rowId: row.id,
      wardId: row.ward_id,
      householdId: row.household_id,
      fullName: row.full_name,
      gender: row.gender,
      nationalId: row.national_id,
      birthDate: row.birth_date,
      phone: toE164(row.phone),
      email: row.email,
      address: row.address,
    });
  }
}

export const CitizenConnection = ConnectionType('Citizen', Citizen);
export type CitizenConnection = InstanceType<typeof CitizenConnection>;
