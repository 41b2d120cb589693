import { sql } from 'kysely';
import type { ModuleSamples } from '../../support/samples/index.js';

/** The services source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    Procedure: { identifying: 'code name', candidates: sql`select id from services.procedures order by id limit 5`, public: true },
    Dossier: { identifying: 'code status', candidates: sql`select id from services.dossiers order by id limit 20` },
  },
  injectionTargets: ['dossierStatus(code)', 'procedures(filter.field)'],
};
