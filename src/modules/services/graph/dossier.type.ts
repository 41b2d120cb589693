import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { ApplicantKind, DossierRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import type { FieldColumns } from '../../../platform/relay/selection.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { DossierChannel, DossierStatus, Timeliness } from './services.enums.js';

function timeliness(row: DossierRow, now: Date): Timeliness {
  if (row.completed_at === null) return row.due_at < now ? Timeliness.OPEN_OVERDUE : Timeliness.OPEN;
  return row.completed_at <= row.due_at ? Timeliness.ON_TIME : Timeliness.LATE;
}

@ObjectType('Dossier', { implements: Node, description: 'An administrative dossier (hồ sơ): an application for a procedure.' })
export class Dossier extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  procedureId: number;
  agencyId: number;
  applicantKind: ApplicantKind;
  applicantId: number;
  wardId: number;

  @Field(() => String, { description: 'Public code, the one printed on the receipt.' })
  code: string;

  @Field(() => DossierChannel, { description: 'How the dossier was received.' })
  channel: DossierChannel;

  @Field(() => DossierStatus, { description: 'Where the dossier stands now.' })
  status: DossierStatus;

  @Field(() => DateTimeResolver, { description: 'When the applicant filed it.' })
  submittedAt: Date;

  @Field(() => DateTimeResolver, { description: 'Statutory due time.' })
  dueAt: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was closed (completed, rejected or withdrawn); null while open.' })
  completedAt: Date | null;

  @Field(() => Timeliness, { description: 'Open or closed, before or after the due time, judged at the time of the request.' })
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
      channel: row.channel,
      status: row.status,
      submittedAt: row.submitted_at,
      dueAt: row.due_at,
      completedAt: row.completed_at,
      timeliness: timeliness(row, now),
    });
  }
}

/** The columns each field of Dossier is made from (its relations: their keys), for the lists that fetch only those. */
export const DOSSIER_COLUMNS: FieldColumns<DossierRow> = {
  id: ['id'],
  code: ['code'],
  channel: ['channel'],
  status: ['status'],
  submittedAt: ['submitted_at'],
  dueAt: ['due_at'],
  completedAt: ['completed_at'],
  timeliness: ['completed_at', 'due_at'],
  procedure: ['procedure_id'],
  agency: ['agency_id'],
  // The agency too: a citizen applicant's dossier row proves they applied to its agency, which
  // answers the officer's check on them without a statement (loaders.ts `noteDossiers`).
  applicant: ['applicant_kind', 'applicant_id', 'agency_id'],
  ward: ['ward_id'],
  events: ['id'],
  result: ['id'],
};

export const DossierConnection = ConnectionType('Dossier', Dossier);
export type DossierConnection = InstanceType<typeof DossierConnection>;

@ObjectType('DossierStatusLookup', { description: "The public answer to \"where is my dossier?\": status and dates only, nothing about the applicant." })
export class DossierStatusLookup {
  @Field(() => String, { description: 'The dossier code looked up.' })
  code: string;

  @Field(() => DossierStatus, { description: 'Where the dossier stands now.' })
  status: DossierStatus;

  @Field(() => DateTimeResolver, { description: 'When it was filed.' })
  submittedAt: Date;

  @Field(() => DateTimeResolver, { description: 'Statutory due time.' })
  dueAt: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was closed; null while open.' })
  completedAt: Date | null;

  static from(row: DossierRow): DossierStatusLookup {
    return Object.assign(new DossierStatusLookup(), {
      code: row.code,
      status: row.status,
      submittedAt: row.submitted_at,
      dueAt: row.due_at,
      completedAt: row.completed_at,
    });
  }
}
