import { LocalDateResolver } from 'graphql-scalars';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { ObservationRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';

@ObjectType('Observation', { implements: Node, description: 'The value of an indicator for one period, in one ward or city-wide.' })
export class Observation extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  indicatorId: number;
  wardId: number | null;

  @Field(() => LocalDateResolver, { description: 'First day of the month or year observed.' })
  period: string;

  @Field(() => Float, { description: 'The value observed, in the indicator’s unit.' })
  value: number;

  @Field(() => Boolean, { description: 'True for the city-wide value (no ward).' })
  cityWide: boolean;

  static from(row: ObservationRow): Observation {
    return Object.assign(new Observation(), {
      id: toGlobalId('Observation', row.id),
      rowId: Number(row.id),
      indicatorId: row.indicator_id,
      wardId: row.ward_id,
      period: row.period,
      value: Number(row.value),
      cityWide: row.ward_id === null,
    });
  }
}

export const ObservationConnection = ConnectionType('Observation', Observation);
export type ObservationConnection = InstanceType<typeof ObservationConnection>;
