import { sql, type Kysely } from 'kysely';
import {
  countByParent,
  fetchPage,
  fetchPagesByParent,
  type CountsPerParent,
  type Keyset,
  type Page,
  type PageRequest,
  type PagesPerParent,
} from '../../../platform/db/keyset.js';
import { resultConditions, type ResultWhere } from './result-conditions.js';
import type { ProcedureResultRow, ResultsDatabase, VerificationRow } from './tables.js';
import type { HolderKind, ResultOrder } from './vocabulary.js';

const KEYSETS: Record<ResultOrder, Keyset<ProcedureResultRow>> = {
  ISSUED_AT: { name: 'result:issued', columns: ['issued_at', 'id'], direction: 'desc' },
  NUMBER: { name: 'result:number', columns: ['number', 'id'], direction: 'asc' },
};

/** A document presented for verification: its result number and the SHA-256 of its file. */
export interface PresentedDocument {
  number: string;
  documentSha256: string;
}

export class ProcedureResultsRepository {
  constructor(private readonly db: Kysely<ResultsDatabase>) {}

  private filtered(filter: ResultWhere) {
    let q = this.db.selectFrom('procedure_results').selectAll();
    for (const condition of resultConditions(filter)) q = q.where(condition);
    return q;
  }

  /** Results by id, within a row scope when one is given (a hidden result is simply absent). */
  async findByIds(ids: readonly number[], scope: ResultWhere = {}): Promise<ProcedureResultRow[]> {
    if (ids.length === 0) return [];
    return this.filtered({ ...scope, ids }).execute();
  }

  /** Results by number (what documents carry), within a row scope. */
  async findByNumbers(numbers: readonly string[], scope: ResultWhere = {}): Promise<ProcedureResultRow[]> {
    if (numbers.length === 0) return [];
    return this.filtered({ ...scope, numbers }).execute();
  }

  /** The result of each dossier that has one, within a row scope. */
  async findByDossierIds(dossierIds: readonly number[], scope: ResultWhere = {}): Promise<ProcedureResultRow[]> {
    if (dossierIds.length === 0) return [];
    return this.filtered({ ...scope, dossierIds }).execute();
  }

  async list(filter: ResultWhere, order: ResultOrder, page: PageRequest): Promise<Page<ProcedureResultRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
  }

  async count(filter: ResultWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of each holder's results (citizens or businesses: `kind`; the same page `list` gives for one), in one statement. */
  async pagesByHolder({
    kind,
    parentIds,
    filter,
    order,
    page,
  }: PagesPerParent<ResultWhere, ResultOrder> & { kind: HolderKind }): Promise<Map<number, Page<ProcedureResultRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (holderId) => this.filtered(filter ?? {}).where('holder_kind', '=', kind).where('holder_id', '=', holderId),
      parentOf: (row) => row.holder_id,
      keyset: KEYSETS[order],
      page,
    });
  }

  /** The number of each holder's results within a filter (a row scope), in one statement. */
  async countByHolder({ kind, parentIds, filter }: CountsPerParent<ResultWhere> & { kind: HolderKind }): Promise<Map<number, number>> {
    return countByParent(this.filtered({ ...filter, holderKind: kind }), 'holder_id', parentIds);
  }

  /**
   * The public verification: the results whose number AND document hash match what was
   * presented, in one statement. It reads no holder column; a wrong hash finds nothing, exactly
   * like an unknown number.
   */
  async verify(documents: readonly PresentedDocument[]): Promise<VerificationRow[]> {
    if (documents.length === 0) return [];
    const numbers = documents.map((d) => d.number);
    const hashes = documents.map((d) => d.documentSha256);
    return this.db
      .selectFrom('procedure_results')
      .select(['number', 'document_sha256', 'kind', 'status', 'issued_at', 'valid_until', 'issuing_agency_id'])
      .where(sql<boolean>`(number, document_sha256) in (select * from unnest(${numbers}::text[], ${hashes}::text[]))`)
      .execute();
  }
}
