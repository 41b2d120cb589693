import { EmailAddressResolver, URLResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { AgencyRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { AgencyKind } from './reference.enums.js';

@ObjectType('Agency', { implements: Node, description: "A city department, district people's committee or centre." })
export class Agency extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  unitId: number;

  @Field(() => String, { description: 'Short code, e.g. "STTTT" or "UBND-HC".' })
  code: string;

  @Field(() => String, { description: 'Full Vietnamese name, e.g. "Sở Thông tin và Truyền thông".' })
  name: string;

  @Field(() => AgencyKind, { description: 'Department (Sở), district people’s committee or centre.' })
  kind: AgencyKind;

  @Field(() => EmailAddressResolver, { description: 'Public contact address.' })
  email: string;

  @Field(() => URLResolver, { description: 'Public website.' })
  website: string;

  static from(row: AgencyRow): Agency {
    return Object.assign(new Agency(), {
      id: toGlobalId('Agency', row.id),
      rowId: row.id,
      unitId: row.unit_id,
      code: row.code,
      name: row.name,
      kind: row.kind,
      email: row.email,
      website: row.website,
    });
  }
}

export const AgencyConnection = ConnectionType('Agency', Agency);
export type AgencyConnection = InstanceType<typeof AgencyConnection>;
