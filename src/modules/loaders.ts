import type { Repositories } from './repositories.js';
import type { LoaderOptions } from '../platform/loaders/batch.js';
import { businessLoaders } from './business/loaders.js';
import { iocLoaders } from './ioc/loaders.js';
import { opendataLoaders } from './opendata/loaders.js';
import { populationLoaders } from './population/loaders.js';
import { referenceLoaders } from './reference/loaders.js';
import { servicesLoaders } from './services/loaders.js';

export type { LoaderOptions } from '../platform/loaders/batch.js';

/**
 * Fresh loaders for one request. Never shared across requests: a cached row must not reach a
 * caller who may not see it.
 */
export function createLoaders(repos: Repositories, options: LoaderOptions = { batch: true }) {
  return {
    ...referenceLoaders(repos, options),
    ...populationLoaders(repos, options),
    ...businessLoaders(repos, options),
    ...servicesLoaders(repos, options),
    ...opendataLoaders(repos, options),
    ...iocLoaders(repos, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
