import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { IndicatorRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import type { FieldColumns } from '../../../platform/relay/selection.js';
import { IndicatorFrequency, IndicatorGranularity, IndicatorVisibility } from './ioc.enums.js';

@ObjectType('Indicator', { implements: Node, description: 'A city indicator followed by the Intelligent Operations Center (IOC).' })
export class Indicator extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  /** Row ids, for relations; not exposed. */
  rowId: number;
  ownerId: number;

  @Field(() => String, { description: 'Stable code, e.g. "FULL_ONLINE_PUBLIC_SERVICES_RATE".' })
  code: string;

  @Field(() => String, { description: 'Name, in Vietnamese.' })
  name: string;

  @Field(() => String, { description: 'What the indicator measures, in Vietnamese.' })
  description: string;

  @Field(() => String, { description: 'Unit of the values, e.g. "%" or "hồ sơ".' })
  unit: string;

  @Field(() => String, { description: 'Category, e.g. "Chính quyền số".' })
  category: string;

  @Field(() => Float, { nullable: true, description: 'Target value, to reach by targetYear.' })
  target: number | null;

  @Field(() => Int, { nullable: true, description: 'The year the target is set for; null without a target.' })
  targetYear: number | null;

  @Field(() => IndicatorVisibility, { description: 'Who may see it.' })
  visibility: IndicatorVisibility;

  @Field(() => IndicatorGranularity, { description: 'Whether values are city-wide only or per ward.' })
  granularity: IndicatorGranularity;

  @Field(() => IndicatorFrequency, { description: 'How often a value is observed.' })
  frequency: IndicatorFrequency;

  @Field(() => String, { nullable: true, description: 'Where the figures come from.' })
  sourceNote: string | null;

  static from(row: IndicatorRow): Indicator {
    return Object.assign(new Indicator(), {
      id: toGlobalId('Indicator', row.id),
      rowId: row.id,
      ownerId: row.owner_id,
      code: row.code,
      name: row.name,
      description: row.description,
      unit: row.unit,
      category: row.category,
      target: row.target === null ? null : Number(row.target),
      targetYear: row.target_year,
      visibility: row.visibility,
      granularity: row.granularity,
      frequency: row.frequency,
      sourceNote: row.source_note,
    });
  }
}

/** The columns each field of `Indicator` is made from (`Indicator.from`); relations by the row's keys. */
export const INDICATOR_COLUMNS: FieldColumns<IndicatorRow> = {
  id: ['id'],
  code: ['code'],
  name: ['name'],
  description: ['description'],
  unit: ['unit'],
  category: ['category'],
  target: ['target'],
  targetYear: ['target_year'],
  visibility: ['visibility'],
  granularity: ['granularity'],
  frequency: ['frequency'],
  sourceNote: ['source_note'],
  owner: ['owner_id'],
  observations: ['id'],
  latest: ['id'],
  series: ['id'],
};

export const IndicatorConnection = ConnectionType('Indicator', Indicator);
export type IndicatorConnection = InstanceType<typeof IndicatorConnection>;
