import { DateTimeResolver, NonNegativeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { DossierEventRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { DossierEventKind } from './services.enums.js';

@ObjectType('DossierEvent', { description: "A step in a dossier's handling." })
export class DossierEvent {
  @Field(() => ID, { description: 'Opaque id of the step.' })
  id: string;

  dossierId: number;
  agencyId: number;

  @Field(() => NonNegativeIntResolver, { description: '1, 2, ... in the order the steps happened.' })
  seq: number;

  @Field(() => DossierEventKind, { description: 'What happened.' })
  kind: DossierEventKind;

  @Field(() => DateTimeResolver, { description: 'When it happened.' })
  occurredAt: Date;

  @Field(() => String, { description: 'The officer’s note, in Vietnamese, e.g. "Tiếp nhận hồ sơ, hẹn trả kết quả ngày ...".' })
  note: string;

  static from(row: DossierEventRow): DossierEvent {
    return Object.assign(new DossierEvent(), {
      id: toGlobalId('DossierEvent', row.id),
      dossierId: row.dossier_id,
      agencyId: row.agency_id,
      seq: row.seq,
      kind: row.kind,
      occurredAt: row.occurred_at,
      note: row.note,
    });
  }
}

export const DossierEventConnection = ConnectionType('DossierEvent', DossierEvent);
export type DossierEventConnection = InstanceType<typeof DossierEventConnection>;
