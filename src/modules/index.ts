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

/**
 * The city's shared databases behind the gateway, each owned by a different department: the one
 * list of sources. Migrations and seeds run in this order (a source's seed may read the rows of
 * one before it); configuration, connections, repositories, loaders, the schema and `node(id)`
 * are all built from it.
 */
export const MODULES = [referenceModule, populationModule, businessModule, servicesModule, resultsModule, opendataModule, iocModule, auditModule] as const;

type AnyModule = (typeof MODULES)[number];

export type SourceName = AnyModule['name'];

export const SOURCE_NAMES: readonly SourceName[] = MODULES.map((m) => m.name);

/** Every source's repositories, by source. */
export type Repositories = { [M in AnyModule as M['name']]: M extends SourceModule<string, infer R, unknown> ? R : never };

/** One request's loaders, namespaced by source (`loaders.population.citizenById`). */
export type Loaders = { [M in AnyModule as M['name']]: M extends SourceModule<string, unknown, infer L> ? L : never };
