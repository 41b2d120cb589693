import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { HouseholdRow } from '../db/index.js';
import { Personal, PersonalDataType } from '../../../access/graphql/personal.js';
import type { HoldsPersonalData, PersonalSubject } from '../../../access/subject.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';

@PersonalDataType('HOUSEHOLD')
@ObjectType('Household', {
  implements: Node,
  description: 'A household (hộ khẩu) in the resident register; its address, register number and structure (member count, head, members) are personal data.',
})
export class Household extends Node implements HoldsPersonalData {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  wardId: number;
  headCitizenId: number | null;

  @Personal('HOUSEHOLD')
  @Field(() => String, { nullable: true, description: 'Number in the resident register.' })
  code: string | null;

  @Personal('ADDRESS')
  @Field(() => String, { nullable: true, description: 'Address of the household.' })
  address: string | null;

  /** Structure follows the household rule (members, admins with a purpose): who lives with whom is household data. */
  @Personal('HOUSEHOLD')
  @Field(() => Int, { nullable: true, description: 'Number of members registered in the household.' })
  memberCount: number | null;

  personalSubject(): PersonalSubject {
    return { type: 'HOUSEHOLD', rowId: this.rowId, nationalId: null };
  }

  static from(row: HouseholdRow): Household {
    return Object.assign(new Household(), {
      id: toGlobalId('Household', row.id),
      rowId: row.id,
      wardId: row.ward_id,
      headCitizenId: row.head_citizen_id,
      code: row.code,
      address: row.address,
      memberCount: row.member_count,
    });
  }
}

export const HouseholdConnection = ConnectionType('Household', Household);
export type HouseholdConnection = InstanceType<typeof HouseholdConnection>;
