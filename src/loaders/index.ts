import type { Repositories } from '../sources/index.js';
import type { LoaderOptions } from './batch.js';
import { referenceLoaders } from './reference.loaders.js';

export type { LoaderOptions } from './batch.js';

/**
 * Fresh loaders for one request. Never shared across requests: a cached row must not reach a
 * caller who may not see it.
 */
export function createLoaders(repos: Repositories, options: LoaderOptions = { batch: true }) {
  return {
    ...referenceLoaders(repos, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
