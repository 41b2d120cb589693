import type { Connections } from '../platform/db/connection.js';
import { auditRepositories } from './audit/db/index.js';
import { businessRepositories } from './business/db/index.js';
import { iocRepositories } from './ioc/db/index.js';
import { opendataRepositories } from './opendata/db/index.js';
import { populationRepositories } from './population/db/index.js';
import { referenceRepositories } from './reference/db/index.js';
import { servicesRepositories } from './services/db/index.js';

/**
 * Every source's repositories: the only door from the gateway to the databases. Each works on
 * its own source's connection; nothing here joins across sources.
 */
export function createRepositories(connections: Connections) {
  const { sources } = connections;
  return {
    reference: referenceRepositories(sources.reference.db),
    population: populationRepositories(sources.population.db),
    business: businessRepositories(sources.business.db),
    services: servicesRepositories(sources.services.db),
    opendata: opendataRepositories(sources.opendata.db),
    ioc: iocRepositories(sources.ioc.db),
    audit: auditRepositories(sources.audit.db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
