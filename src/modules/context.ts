import type { PersonalDataGuard } from '../access/guard.js';
import type { Principal } from '../access/principal.js';
import type { RequestAccess } from '../access/request.js';
import type { CursorCodec } from '../platform/db/cursors.js';
import type { QueryStats } from '../platform/db/query-stats.js';

/*
 * What a resolver is given, as types only: every module's manifest and resolvers import this
 * file, and the list of modules (src/modules/index.ts) imports them, so nothing here may import
 * the list. Its source-by-source types (Repositories, Loaders) are filled in by the list instead,
 * by declaration merging from each module's own types; createContext is in request-context.ts.
 */

/** Every source's repositories, by source (src/modules/index.ts adds one member per module). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by src/modules/index.ts
export interface Repositories {}

/** One request's loaders, namespaced by source (`loaders.population.citizenById`); filled like Repositories. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by src/modules/index.ts
export interface Loaders {}

/** Everything a resolver may use, built fresh for each request. */
export interface GraphContext {
  requestId: string;
  /** Who is calling, and why (verified token and purpose headers). */
  principal: Principal;
  repos: Repositories;
  loaders: Loaders;
  /** The request's access decisions: the principal resolved once, row scopes, the guard (src/access). */
  access: RequestAccess;
  /** Decides personal fields and keeps what was read, for the access log (`access.guard`). */
  guard: PersonalDataGuard;
  /** The moment the request started: "overdue" and "now" mean the same in every field. */
  now: Date;
  /** This caller's pagination cursors (the gateway's codec bound to the caller): `cursors.page(args)` is what repositories and page loaders take. */
  cursors: CursorCodec;
  /** The SQL statements this request cost, by source: its repositories count on it (countedRepositories). */
  statements: QueryStats;
}
