import { sql } from 'kysely';
import type { ModuleSamples } from '../../support/samples/index.js';

/** The ioc source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    Indicator: { identifying: 'code name', candidates: sql`select id from ioc.indicators order by (visibility = 'INTERNAL') desc, id limit 20` },
    Observation: {
      identifying: 'period value',
      candidates: sql`select o.id from ioc.observations o join ioc.indicators i on i.id = o.indicator_id order by (i.visibility = 'INTERNAL') desc, o.id limit 20`,
    },
  },
  injectionTargets: ['indicators(filter.category)', 'agencies.indicators(filter.category)'],
};
