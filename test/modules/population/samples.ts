import { sql } from 'kysely';
import type { ModuleSamples } from '../../support/samples/index.js';

/** The population source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    Citizen: { identifying: 'nationalId fullName', candidates: sql`select id from population.citizens order by id limit 20`, personalData: 'own' },
    Household: { identifying: 'code', candidates: sql`select id from population.households order by id limit 20`, personalData: 'own' },
  },
  injectionTargets: ['citizens(filter.search)', 'citizens(filter.nationalId)', 'households(filter.search)'],
};
