import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AccessLogRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { AccessOutcome, ChainProblem } from './audit.enums.js';
import { ENTRY_ROWS } from './transparency.type.js';

/** The fields an entry's subject was found by: stored since v3; a v2 FOUND_BY entry listed them as its fields. */
export function foundByOf(row: Pick<AccessLogRow, 'found_by' | 'fields' | 'outcome'>): string[] {
  return row.found_by ?? (row.outcome === 'FOUND_BY' ? row.fields : []);
}

const FOUND_BY_DESCRIPTION =
  'The personal fields this person (or searched value) was found by in the request: a look-up key, a filter, an ordering or a search. Empty when none was used. A read entry carries it too: one entry says what was read of a person and how they were found.';

/** An entry object keeps its row (unexposed), from which its proof fields are computed. */
function withRow<T extends object>(row: AccessLogRow, values: Partial<T>, entry: T): T {
  ENTRY_ROWS.set(entry, row);
  return Object.assign(entry, values);
}

@ObjectType('AccessLogEntry', { description: 'One read of personal data (or one denial) as the gateway recorded it: for auditors.' })
export class AccessLogEntry {
  @Field(() => ID, { description: 'Opaque id of the entry.' })
  id: string;

  /** Resolved in transparency.resolver.ts (entries outside the chain take their leaf's position). */
  seq: number;

  @Field(() => DateTimeResolver, { description: 'When the data was read (or the read refused).' })
  occurredAt: Date;

  @Field(() => String, { description: 'Id of the request that read it (its X-Request-Id response header).' })
  requestId: string;

  @Field(() => String, { description: "The reader's subject (token sub)." })
  actorSubject: string;

  @Field(() => String, { description: "The reader's role, e.g. officer or admin." })
  actorRole: string;

  @Field(() => String, { nullable: true, description: "The reader's agency code." })
  actorAgency: string | null;

  @Field(() => String, { nullable: true, description: 'The calling application (token azp or client_id claim).' })
  clientApp: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the GraphQL operation, when it had one.' })
  operationName: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the GraphQL document (hex).' })
  documentHash: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose the reader declared (x-purpose header).' })
  purpose: string | null;

  @Field(() => String, { nullable: true, description: 'The case the reader declared, e.g. a dossier (hồ sơ) code.' })
  caseReference: string | null;

  @Field(() => String, { description: 'CITIZEN or HOUSEHOLD; CRITERION for a value searched for.' })
  subjectType: string;

  @Field(() => String, {
    description: 'Row id of the person (or household) whose data was read; for a CRITERION, `<field>:<keyed hash of the value>` (the same value, the same hash).',
  })
  subjectId: string;

  @Field(() => [String], { description: 'The personal fields read, or used to find or count.' })
  fields: string[];

  @Field(() => AccessOutcome, { description: 'Served, masked, refused, found by or counted by.' })
  outcome: AccessOutcome;

  @Field(() => [String], { description: FOUND_BY_DESCRIPTION })
  foundBy: string[];

  @Field(() => String, { description: 'SHA-256 chaining this entry to the previous one.' })
  hash: string;

  static from(row: AccessLogRow): AccessLogEntry {
    return withRow(row, {
      id: toGlobalId('AccessLogEntry', row.id),
      seq: Number(row.seq),
      occurredAt: row.occurred_at,
      requestId: row.request_id,
      actorSubject: row.actor_subject,
      actorRole: row.actor_role,
      actorAgency: row.actor_agency,
      clientApp: row.client_app,
      operationName: row.operation_name,
      documentHash: row.document_hash,
      purpose: row.purpose,
      caseReference: row.case_reference,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      fields: row.fields,
      outcome: row.outcome,
      foundBy: foundByOf(row),
      hash: row.hash,
    }, new AccessLogEntry());
  }
}

export const AccessLogEntryConnection = ConnectionType('AccessLogEntry', AccessLogEntry);
export type AccessLogEntryConnection = InstanceType<typeof AccessLogEntryConnection>;

@ObjectType('PersonalDataAccess', {
  description: "Who read a citizen's data, as the citizen sees it: the agency and role, never the officer's own identity.",
})
export class PersonalDataAccess {
  @Field(() => ID, { description: 'Opaque id of the entry.' })
  id: string;

  @Field(() => DateTimeResolver, { description: 'When the data was read (or the read refused).' })
  occurredAt: Date;

  @Field(() => String, { description: 'Role of the reader, e.g. officer.' })
  actorRole: string;

  @Field(() => String, { nullable: true, description: 'Code of the agency that read the data.' })
  actorAgency: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose the reader declared.' })
  purpose: string | null;

  @Field(() => [String], { description: 'The personal fields read, or used to find or count.' })
  fields: string[];

  @Field(() => AccessOutcome, { description: 'Served, masked, refused, found by or counted by.' })
  outcome: AccessOutcome;

  @Field(() => [String], { description: FOUND_BY_DESCRIPTION })
  foundBy: string[];

  static from(row: AccessLogRow): PersonalDataAccess {
    return withRow(row, {
      id: toGlobalId('PersonalDataAccess', row.id),
      occurredAt: row.occurred_at,
      actorRole: row.actor_role,
      actorAgency: row.actor_agency,
      purpose: row.purpose,
      fields: row.fields,
      outcome: row.outcome,
      foundBy: foundByOf(row),
    }, new PersonalDataAccess());
  }
}

export const PersonalDataAccessConnection = ConnectionType('PersonalDataAccess', PersonalDataAccess);
export type PersonalDataAccessConnection = InstanceType<typeof PersonalDataAccessConnection>;

@ObjectType('AccessLogVerification', { description: 'Whether the hash chain of the access log is intact.' })
export class AccessLogVerification {
  @Field(() => Boolean, { description: 'True when no entry was changed, removed, inserted or reordered.' })
  intact: boolean;

  @Field(() => Int, { description: 'Entries found consistent before the first problem.' })
  checked: number;

  @Field(() => Int, { nullable: true, description: 'The first entry (row id) where the chain breaks.' })
  firstBadId: number | null;

  @Field(() => ChainProblem, { nullable: true, description: 'What is wrong; null when the chain is intact.' })
  problem: ChainProblem | null;

  @Field(() => DateTimeResolver, { description: 'When the verification ran.' })
  verifiedAt: Date;

  @Field(() => String, { nullable: true, description: 'What is wrong, in plain words; null when the log is intact.' })
  detail: string | null;

  @Field(() => Int, { nullable: true, description: 'Entries in the Merkle tree when the verification started.' })
  treeSize: number | null;

  @Field(() => Int, { nullable: true, description: 'Entries stored but not yet in the tree (the integrator takes them within about a second); not counted in `checked`.' })
  pending: number | null;

  @Field(() => Int, { nullable: true, description: "Signed checkpoints whose signature (with the log's key) and root were verified." })
  checkpoints: number | null;

  @Field(() => Int, { nullable: true, description: "The witness's checkpoints found to agree with the tree (none when no witness is configured)." })
  witnessCheckpoints: number | null;
}
