// type-graphql's decorators need the metadata API before any module's types are evaluated.
import 'reflect-metadata';
import { auditModule } from './audit/module.js';
import { businessModule } from './business/module.js';
import { iocModule } from './ioc/module.js';
import type { SourceModule } from './module.js';
import { opendataModule } from './opendata/module.js';
import { populationModule } from './population/module.js';
import { referenceModule } from './reference/module.js';
import { resultsModule } from './results/module.js';
import { servicesModule } from './services/module.js';
import type { SourceName } from '../platform/db/source-names.js';

/**
 * The city's shared databases behind the gateway, each owned by a different department: the one
 * list of sources. Migrations and seeds run in this order (a source's seed may read the rows of
 * one before it); configuration, connections, repositories, loaders, the schema and `node(id)`
 * are all built from it.
 */
export const MODULES = [referenceModule, populationModule, businessModule, servicesModule, resultsModule, opendataModule, iocModule, auditModule] as const;

type AnyModule = (typeof MODULES)[number];

/*
 * The types below import nothing of the list back: the platform's SourceName, and the context's
 * Repositories and Loaders (src/modules/context.ts), are interfaces this file fills by
 * declaration merging, each from the modules' own types, so that the list stays written once.
 */
declare module '../platform/db/source-names.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from the modules
  interface SourceNameRegistry extends Record<AnyModule['name'], true> {}
}
declare module './context.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from the modules
  interface Repositories extends RepositoriesOf<AnyModule> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from the modules
  interface Loaders extends LoadersOf<AnyModule> {}
}

type RepositoriesOf<M extends AnyModule> = { [K in M as K['name']]: K extends SourceModule<string, infer R, unknown> ? R : never };
type LoadersOf<M extends AnyModule> = { [K in M as K['name']]: K extends SourceModule<string, unknown, infer L> ? L : never };

/** Exactly the modules' names: nothing else may add a key to the platform's registry. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAreTheModules: Same<SourceName, AnyModule['name']> = true;
void namesAreTheModules;

export type { SourceName } from '../platform/db/source-names.js';
export type { Loaders, Repositories } from './context.js';

export const SOURCE_NAMES: readonly SourceName[] = MODULES.map((m) => m.name);
