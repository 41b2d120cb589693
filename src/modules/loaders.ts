import { BatchWave, type LoaderOptions } from '../platform/loaders/batch.js';
import type { Loaders, Repositories } from './context.js';
import { MODULES } from './index.js';

export type { LoaderOptions } from '../platform/loaders/batch.js';
export type { Loaders } from './context.js';

type Module = (typeof MODULES)[number];

/** One request's state behind its loaders' getters. */
interface LoaderState {
  repos: Repositories;
  options: LoaderOptions;
  built: Partial<Record<Module['name'], unknown>>;
}

const STATE = Symbol('loaders');
type LazyLoaders = { [STATE]: LoaderState };

// Each module's loaders take its own repositories; the casts only erase which module is which.
// While tracing, each module's loaders name their source in their batches' spans.
const build = (m: Module, { repos, options }: LoaderState) =>
  (m.loaders as (r: unknown, o: LoaderOptions) => unknown)(repos[m.name], options.traceBatch ? { ...options, source: m.name } : options);

/**
 * One getter per source, defined once for every request: a module's loaders (and its
 * repositories) are built when a resolver first asks for them. Most requests touch two or three
 * of the sources; building all of them, with their repositories, cost ~6 % of a `node(id)` request.
 */
const PROTOTYPE: object = Object.create(null);
for (const m of MODULES) {
  Object.defineProperty(PROTOTYPE, m.name, {
    enumerable: true,
    get(this: LazyLoaders) {
      const state = this[STATE];
      return (state.built[m.name] ??= build(m, state));
    },
  });
}

/**
 * Fresh loaders for one request, one namespace per source. Never shared across requests: a
 * cached row must not reach a caller who may not see it.
 */
export function createLoaders(repos: Repositories, given: LoaderOptions = { batch: true }): Loaders {
  // One schedule of column-loader batches for the request, across its sources (BatchWave).
  const loaders = Object.create(PROTOTYPE) as LazyLoaders;
  loaders[STATE] = { repos, options: { ...given, wave: new BatchWave() }, built: {} };
  return loaders as unknown as Loaders;
}
