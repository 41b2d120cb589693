import type { Kysely } from 'kysely';
import { DossierEventsRepository } from './dossier-events.repository.js';
import { DossierStatsRepository } from './dossier-stats.repository.js';
import { DossiersRepository } from './dossiers.repository.js';
import { ProceduresRepository } from './procedures.repository.js';
import type { ServicesDatabase } from './tables.js';

export type {
  ApplicantKind,
  DossierChannel,
  DossierEventKind,
  DossierEventRow,
  DossierRow,
  DossierStatus,
  ProcedureRow,
  ServiceLevel,
} from './tables.js';
export { OPEN_STATUSES } from './tables.js';
export type { ApplicantRef, DossierFilter } from './dossier-conditions.js';
export type { DossierOrder } from './dossiers.repository.js';
export type { ProcedureFilter, ProcedureOrder } from './procedures.repository.js';
export type {
  DossierCount,
  DossierDimension,
  DossierGroup,
  DossierGroupRates,
  DossierRates,
  DossierStatsFilter,
} from './dossier-stats.repository.js';

export function servicesRepositories(db: Kysely<ServicesDatabase>) {
  return {
    procedures: new ProceduresRepository(db),
    dossiers: new DossiersRepository(db),
    dossierEvents: new DossierEventsRepository(db),
    dossierStats: new DossierStatsRepository(db),
  };
}

export type ServicesRepositories = ReturnType<typeof servicesRepositories>;
