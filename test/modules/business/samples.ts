import { sql } from 'kysely';
import type { ModuleSamples } from '../../support/samples/index.js';

/** The business source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    Business: { identifying: 'code name', candidates: sql`select id from business.businesses order by id limit 5`, public: true, personalData: 'related' },
  },
  injectionTargets: ['business(code)', 'businesses(filter.industryCode)'],
};
