import type { Loaders } from '../loaders/index.js';
import type { Repositories } from '../sources/index.js';

/** Everything a resolver may use, built fresh for each request. */
export interface GraphContext {
  requestId: string;
  repos: Repositories;
  loaders: Loaders;
  /** The moment the request started: "overdue" and "now" mean the same in every field. */
  now: Date;
}
