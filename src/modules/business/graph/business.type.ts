import { EmailAddressResolver, LocalDateResolver, NonNegativeFloatResolver, URLResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { BusinessRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { BusinessKind, BusinessStatus, LegalForm } from './business.enums.js';

@ObjectType('Business', {
  implements: Node,
  description: "An enterprise's or household business's public profile in the business register. Its legal representative is a Citizen, whose personal fields are guarded.",
})
export class Business extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  wardId: number;
  legalRepresentativeId: number;

  @Field(() => BusinessKind, { description: 'Enterprise (doanh nghiệp) or household business (hộ kinh doanh).' })
  kind: BusinessKind;

  @Field(() => String, { description: 'Enterprise code (mã số doanh nghiệp, also the tax code, 10 digits) or household business registration number.' })
  code: string;

  @Field(() => String, { description: 'Registered name, e.g. "Công ty TNHH ...".' })
  name: string;

  @Field(() => LegalForm, { description: 'Legal form (loại hình doanh nghiệp).' })
  legalForm: LegalForm;

  @Field(() => String, { description: 'VSIC 2018 industry code.' })
  industryCode: string;

  @Field(() => String, { description: 'Name of the main industry (ngành nghề kinh doanh chính), in Vietnamese.' })
  industryName: string;

  @Field(() => Boolean, { description: 'A digital technology enterprise.' })
  digitalTech: boolean;

  @Field(() => BusinessStatus, { description: 'Standing in the business register.' })
  status: BusinessStatus;

  @Field(() => LocalDateResolver, { description: 'Registration date (ngày đăng ký).' })
  registeredOn: string;

  @Field(() => NonNegativeFloatResolver, { nullable: true, description: 'Charter capital in VND.' })
  charterCapital: number | null;

  @Field(() => String, { description: 'Registered business address.' })
  address: string;

  @Field(() => String, { nullable: true, description: 'Published contact number.' })
  phone: string | null;

  @Field(() => EmailAddressResolver, { nullable: true, description: 'Published contact e-mail address.' })
  email: string | null;

  @Field(() => URLResolver, { nullable: true, description: 'Website, when the business has one.' })
  website: string | null;

  static from(row: BusinessRow): Business {
    return Object.assign(new Business(), {
      id: toGlobalId('Business', row.id),
      rowId: row.id,
      wardId: row.ward_id,
      legalRepresentativeId: row.legal_representative_id,
      kind: row.kind,
      code: row.code,
      name: row.name,
      legalForm: row.legal_form,
      industryCode: row.industry_code,
      industryName: row.industry_name,
      digitalTech: row.digital_tech,
      status: row.status,
      registeredOn: row.registered_on,
      charterCapital: row.charter_capital,
      address: row.address,
      phone: row.phone,
      email: row.email,
      website: row.website,
    });
  }
}

export const BusinessConnection = ConnectionType('Business', Business);
export type BusinessConnection = InstanceType<typeof BusinessConnection>;
