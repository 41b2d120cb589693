import { sql, type Kysely } from 'kysely';
import type { DossierEventRow, ServicesDatabase } from './tables.js';

export class DossierEventsRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** Every event of a batch of dossiers, by dossier then in the order they happened. */
  async findByDossierIds(dossierIds: readonly number[]): Promise<DossierEventRow[]> {
    if (dossierIds.length === 0) return [];
    return this.db
      .selectFrom('dossier_events')
      .selectAll()
      .where('dossier_id', '=', sql<number>`any(${[...dossierIds]}::int[])`)
      .orderBy('dossier_id')
      .orderBy('seq')
      .execute();
  }
}
