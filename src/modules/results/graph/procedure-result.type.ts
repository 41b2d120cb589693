import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { statusAt, type HolderKind, type ProcedureResultRow } from '../db/index.js';
import { ConnectionType } from '../../../platform/relay/connection.js';
import { toGlobalId } from '../../../platform/relay/global-id.js';
import { Node } from '../../../platform/relay/node.interface.js';
import { printedHolderOf, ProcedureResultPrintedHolder, type PrintedBusinessHolder, type PrintedCitizenHolder } from './printed-holder.type.js';
import { ProcedureResultHolderKind, ProcedureResultKind, ProcedureResultStatus } from './results.enums.js';

@ObjectType('ProcedureResult', {
  implements: Node,
  description:
    'A result in the digital repository of administrative procedure results (kho kết quả thủ tục hành chính số): the certificate, licence or decision issued when a dossier completed.',
})
export class ProcedureResult extends Node {
  @Field(() => ID, { description: 'Opaque global id; `node(id)` fetches the object again.' })
  id: string;

  rowId: number;
  dossierId: number;
  issuingAgencyId: number;
  holderId: number;

  @Field(() => String, { description: 'Result number as printed on the document, e.g. "GP-STTTT-2024-000153": kind, issuing agency, year, serial.' })
  number: string;

  @Field(() => ProcedureResultKind, { description: 'What kind of document was issued.' })
  kind: ProcedureResultKind;

  @Field(() => ProcedureResultStatus, { description: 'Valid, revoked or expired, judged at the time of the request (a result past its validity date is EXPIRED).' })
  status: ProcedureResultStatus;

  @Field(() => DateTimeResolver, { description: 'When it was issued: the time its dossier was completed.' })
  issuedAt: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'End of validity; null when it is valid without a time limit.' })
  validUntil: Date | null;

  @Field(() => String, { description: 'Lower-case hex SHA-256 of the issued document, as the public verification checks it.' })
  documentSha256: string;

  @Field(() => ProcedureResultHolderKind, { description: 'Whether it was issued to a citizen or to a business.' })
  holderKind: HolderKind;

  @Field(() => ProcedureResultPrintedHolder, {
    description: "The holder as printed on the document: a citizen's name, national id and birth date (personal data, guarded) or a business's name and code.",
  })
  printedHolder: PrintedCitizenHolder | PrintedBusinessHolder;

  static from(row: ProcedureResultRow, now: Date): ProcedureResult {
    return Object.assign(new ProcedureResult(), {
      id: toGlobalId('ProcedureResult', row.id),
      rowId: row.id,
      dossierId: row.dossier_id,
      issuingAgencyId: row.issuing_agency_id,
      holderId: row.holder_id,
      number: row.number,
      kind: row.kind,
      status: statusAt(row, now),
      issuedAt: row.issued_at,
      validUntil: row.valid_until,
      documentSha256: row.document_sha256,
      holderKind: row.holder_kind,
      printedHolder: printedHolderOf(row),
    });
  }
}

export const ProcedureResultConnection = ConnectionType('ProcedureResult', ProcedureResult);
export type ProcedureResultConnection = InstanceType<typeof ProcedureResultConnection>;
