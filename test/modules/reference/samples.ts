import { sql } from 'kysely';
import type { ModuleSamples } from '../../support/samples/index.js';

/** The reference source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    AdministrativeUnit: { identifying: 'code name', candidates: sql`select id from reference.administrative_units order by id limit 5`, public: true },
    Agency: { identifying: 'code name', candidates: sql`select id from reference.agencies order by id limit 5`, public: true },
  },
  injectionTargets: ['agency(code)'],
  // An agency with many datasets, dossiers, indicators and procedures in every seed.
  listParents: { Agency: 'agency(code: "STTTT")' },
};
