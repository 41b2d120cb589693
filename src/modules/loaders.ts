import { BatchWave, type LoaderOptions } from '../platform/loaders/batch.js';
import type { Loaders, Repositories } from './context.js';
import { MODULES } from './index.js';

export type { LoaderOptions } from '../platform/loaders/batch.js';
export type { Loaders } from './context.js';

/**
 * Fresh loaders for one request, one namespace per source. Never shared across requests: a
 * cached row must not reach a caller who may not see it.
 */
export function createLoaders(repos: Repositories, given: LoaderOptions = { batch: true }): Loaders {
  // One schedule of column-loader batches for the request, across its sources (BatchWave).
  const options: LoaderOptions = { ...given, wave: new BatchWave() };
  // Each module's loaders take its own repositories; the casts only erase which module is which.
  // While tracing, each module's loaders name their source in their batches' spans.
  const of = (m: (typeof MODULES)[number]) => (m.loaders as (r: unknown, o: LoaderOptions) => unknown)(repos[m.name], options.traceBatch ? { ...options, source: m.name } : options);
  return Object.fromEntries(MODULES.map((m) => [m.name, of(m)])) as Loaders;
}
