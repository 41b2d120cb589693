import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AdministrativeUnitRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { UnitLevel } from './reference.enums.js';

@ObjectType('AdministrativeUnit', { implements: Node, description: 'Đà Nẵng, one of its districts, or a ward or commune.' })
export class AdministrativeUnit extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  /** Row id, for relations; not exposed. */
  rowId: number;
  parentId: number | null;

  @Field(() => String, { description: 'Unit code (district codes are the national statistics codes).' })
  code: string;

  @Field(() => String, { description: 'Name without designation, e.g. "Hải Châu I".' })
  name: string;

  @Field(() => String, { description: 'Name with designation, e.g. "Phường Hải Châu I".' })
  fullName: string;

  @Field(() => UnitLevel, { description: 'City, district (quận/huyện) or ward (phường/xã).' })
  level: UnitLevel;

  @Field(() => String, { description: 'Vietnamese designation: Thành phố, Quận, Huyện, Phường or Xã.' })
  designation: string;

  @Field(() => Int, { description: 'Estimated residents (rounded).' })
  population: number;

  static from(row: AdministrativeUnitRow): AdministrativeUnit {
    return Object.assign(new AdministrativeUnit(), {
      id: toGlobalId('AdministrativeUnit', row.id),
      rowId: row.id,
      parentId: row.parent_id,
      code: row.code,
      name: row.name,
      fullName: row.full_name,
      level: row.level,
      designation: row.designation,
      population: row.population,
    });
  }
}

export const AdministrativeUnitConnection = ConnectionType('AdministrativeUnit', AdministrativeUnit);
export type AdministrativeUnitConnection = InstanceType<typeof AdministrativeUnitConnection>;
