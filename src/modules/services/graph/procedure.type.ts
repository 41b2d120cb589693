import { NonNegativeFloatResolver, NonNegativeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { ProcedureRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { ServiceLevel } from './services.enums.js';

@ObjectType('Procedure', { implements: Node, description: 'An administrative procedure (thủ tục hành chính) offered by an agency.' })
export class Procedure extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  agencyId: number;

  @Field(() => String, { description: 'Procedure code in the catalogue, e.g. "1.001053".' })
  code: string;

  @Field(() => String, { description: 'Name of the procedure, in Vietnamese.' })
  name: string;

  @Field(() => String, { description: 'Sector (lĩnh vực), e.g. "Đăng ký kinh doanh".' })
  field: string;

  @Field(() => ServiceLevel, { description: 'Whether it is offered fully or partly online.' })
  serviceLevel: ServiceLevel;

  @Field(() => NonNegativeIntResolver, { description: 'Statutory processing time in working days.' })
  processingDays: number;

  @Field(() => NonNegativeFloatResolver, { description: 'Fee in VND (0: free).' })
  fee: number;

  static from(row: ProcedureRow): Procedure {
    return Object.assign(new Procedure(), {
      id: toGlobalId('Procedure', row.id),
      rowId: row.id,
      agencyId: row.agency_id,
      code: row.code,
      name: row.name,
      field: row.field,
      serviceLevel: row.service_level,
      processingDays: row.processing_days,
      fee: row.fee,
    });
  }
}

export const ProcedureConnection = ConnectionType('Procedure', Procedure);
export type ProcedureConnection = InstanceType<typeof ProcedureConnection>;
