import { sql } from 'kysely';
import type { ModuleSamples } from '../../support/samples/index.js';

/** The opendata source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    Dataset: { identifying: 'slug title', candidates: sql`select id from opendata.datasets order by (access_level = 'RESTRICTED') desc, id limit 20` },
    DatasetResource: {
      identifying: 'url name',
      candidates: sql`select r.id from opendata.dataset_resources r join opendata.datasets d on d.id = r.dataset_id order by (d.access_level = 'RESTRICTED') desc, r.id limit 20`,
    },
  },
  injectionTargets: ['datasets(filter.search)', 'datasets(filter.tag)', 'dataset(slug)', 'agencies.datasets(filter.search)'],
};
