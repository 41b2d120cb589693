import type { Kysely } from 'kysely';
import { DossierEventsRepository } from './dossier-events.repository.js';
import { DossierStatsRepository } from './dossier-stats.repository.js';
import { DossiersRepository } from './dossiers.repository.js';
import { ProceduresRepository } from './procedures.repository.js';
import type { ServicesDatabase } from './tables.js';

export type { DossierEventRow, DossierRow, ProcedureRow } from './tables.js';
export * from './vocabulary.js';
export type { ApplicantRef, DossierWhere } from './dossier-conditions.js';
export type { ProcedureWhere } from './procedures.repository.js';
export type { DossierCount, DossierGroup, DossierGroupRates, DossierRates, DossierRatesTable, DossierStatsWhere } from './dossier-stats.repository.js';

export function servicesRepositories(db: Kysely<ServicesDatabase>) {
  return {
    procedures: new ProceduresRepository(db),
    dossiers: new DossiersRepository(db),
    dossierEvents: new DossierEventsRepository(db),
    dossierStats: new DossierStatsRepository(db),
  };
}

export type ServicesRepositories = ReturnType<typeof servicesRepositories>;
