import type { Kysely, Migration } from 'kysely';
import type { VocabularyCheck } from '../platform/db/vocabulary.js';
import type { LoaderOptions } from '../platform/loaders/batch.js';
import type { NodeFetcher } from '../platform/relay/node.resolver.js';
import type { Seeder } from '../seed/context.js';
import type { GraphContext } from './context.js';

/**
 * What one source brings to the gateway: the manifest each `src/modules/<source>/module.ts`
 * exports and `MODULES` (src/modules/index.ts) lists. Migrations, repositories, loaders, the
 * schema, `node(id)` and the seeds all iterate that list: adding a source is adding its folder
 * and one line there.
 *
 * How resolvers reach the data, one rule for every module:
 * - **Lists (pages), counts and aggregates go through the repositories** (`ctx.repos.<source>`),
 *   each list with the caller's cursors: `repos.x.list(where, order, ctx.cursors.page(args))`. A
 *   page or count under each parent of a page (an agency's dossiers) goes through a page or count
 *   loader instead, which batches the parents into one statement.
 * - **Everything fetched by id or by code goes through the request's loaders**
 *   (`ctx.loaders.<source>.<x>ById`, `<x>ByCode`, `<x>InScope(scope)`), never a repository's
 *   `findBy*`: the loaders batch and cache per request. A loaded row becomes its GraphQL object
 *   with `loadAs(loader, key, Type.from)` (src/platform/relay/load-as.ts).
 * Repositories take one parameter object for a page per parent (`pagesByX({ parentIds, filter,
 * order, page })`) and for counts per parent (`countByX({ parentIds, filter })`); their filters
 * are named `<X>Where` (the GraphQL inputs are the `<X>Filter`s). DataLoaders are made only by
 * the factories of src/platform/loaders/batch.ts.
 *
 * A source's vocabularies (statuses, kinds, orders) are `as const` arrays in its
 * `db/vocabulary.ts`: the TypeScript types, the GraphQL enums (`vocabularyEnum`) and, for new
 * migrations, the check constraints (`checkIn`) are built from them; `checks` lists the
 * constraints, which a test compares with the database.
 */
export interface SourceModule<Name extends string = string, Repos = unknown, Loaders = unknown> {
  /** The source's name: its PostgreSQL schema, `<NAME>_DATABASE_URL`, its loaders' namespace. */
  readonly name: Name;
  /** What it holds, as the Query type's description names it ("the business register"): src/modules/schema.ts lists them in MODULES order. */
  readonly describedAs: string;
  /** The gateway's own data (the access log), not a department's shared database: the description names it after the city's. */
  readonly ownedByGateway?: true;
  /** Ordered by name; applied ones are recorded in `<name>.kysely_migration`. */
  readonly migrations: Record<string, Migration>;
  /** The source's repositories over its own connection (no GraphQL, no other source). */
  repositories(db: Kysely<any>): Repos; // eslint-disable-line @typescript-eslint/no-explicit-any -- each source narrows it to its tables
  /** Fresh DataLoaders for one request, over the source's own repositories. */
  loaders(repos: Repos, options: LoaderOptions): Loaders;
  /** The check constraints its migrations create on vocabulary columns (test/modules/vocabularies.test.ts reads them back). */
  readonly checks?: readonly VocabularyCheck[];
  /** type-graphql resolver classes (types are reached from them). */
  readonly resolvers: readonly Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes classes
  /** `node(id)` for each Node type of the source: null outside the caller's row scope, like a missing one. */
  readonly nodes: Readonly<Record<string, NodeFetcher<GraphContext>>>;
  /**
   * Loads the seeder when synthetic data is asked for (npm start on an empty embedded database,
   * db:seed): lazily, so that a server never loads seeds or faker. Absent: never seeded.
   */
  seed?(): Promise<Seeder>;
}

/** Declares a source module; the identity, for the type parameters' sake. */
export function defineModule<const Name extends string, Repos, Loaders>(module: SourceModule<Name, Repos, Loaders>): SourceModule<Name, Repos, Loaders> {
  return module;
}
