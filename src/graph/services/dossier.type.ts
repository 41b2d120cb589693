import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { DossierRow } from '../../sources/services/index.js';
import { ConnectionType } from '../relay/connection.js';
import { toGlobalId } from '../relay/global-id.js';
import { Node } from '../relay/node.interface.js';
import { DossierChannel, DossierStatus, Timeliness } from './services.enums.js';

function timeliness(row: DossierRow, now: Date): Timeliness {
  if (row.completed_at === null) return row.due_at < now ? Timeliness.OPEN_OVERDUE : Timeliness.OPEN;
  return row.completed_at <= row.due_at ? Timeliness.ON_TIME : Timeliness.LATE;
}

@ObjectType('Dossier', { implements: Node, description: 'An administrative dossier (hồ sơ): an application for a procedure.' })
export class Dossier extends Node {
  @Field(() => ID)
  id: string;

  rowId: number;
  procedureId: number;
  agencyId: number;
  applicantKind: 'CITIZEN' | 'BUSINESS';
  applicantId: number;
  wardId: number;

  @Field(() => String, { description: 'Public code, the one printed on the receipt.' })
  code: string;

  @Field(() => DossierChannel)
  channel: DossierChannel;

  @Field(() => DossierStatus)
  status: DossierStatus;

  @Field(() => DateTimeResolver)
  submittedAt: Date;

  @Field(() => DateTimeResolver, { description: 'Statutory due time.' })
  dueAt: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  completedAt: Date | null;

  @Field(() => Timeliness)
  timeliness: Timeliness;

  static from(row: DossierRow, now: Date): Dossier {
    return Object.assign(new Dossier(), {
      id: toGlobalId('Dossier', row.id),
      rowId: row.id,
      procedureId: row.procedure_id,
      agencyId: row.agency_id,
      applicantKind: row.applicant_kind,
      applicantId: row.applicant_id,
      wardId: row.ward_id,
      code: row.code,
      channel: row.channel as DossierChannel,
      status: row.status as DossierStatus,
      submittedAt: row.submitted_at,
      dueAt: row.due_at,
      completedAt: row.completed_at,
      timeliness: timeliness(row, now),
    });
  }
}

export const DossierConnection = ConnectionType('Dossier', Dossier);
export type DossierConnection = InstanceType<typeof DossierConnection>;

@ObjectType('DossierStatusLookup', { description: "The public answer to \"where is my dossier?\": status and dates only, nothing about the applicant." })
export class DossierStatusLookup {
  @Field(() => String)
  code: string;

  @Field(() => DossierStatus)
  status: DossierStatus;

  @Field(() => DateTimeResolver)
  submittedAt: Date;

  @Field(() => DateTimeResolver)
  dueAt: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  completedAt: Date | null;

  static from(row: DossierRow): DossierStatusLookup {
    return Object.assign(new DossierStatusLookup(), {
      code: row.code,
      status: row.status as DossierStatus,
      submittedAt: row.submitted_at,
      dueAt: row.due_at,
      completedAt: row.completed_at,
    });
  }
}
