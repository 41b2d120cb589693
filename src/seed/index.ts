import type { Connections } from '../platform/db/connection.js';
import type { Seeder } from './context.js';
import { seedBusiness } from '../modules/business/seed/seed.js';
import { seedIoc } from '../modules/ioc/seed/seed.js';
import { seedOpendata } from '../modules/opendata/seed/seed.js';
import { seedPopulation } from '../modules/population/seed/seed.js';
import { seedReference } from '../modules/reference/seed/seed.js';
import type { Scale } from './scales.js';
import { seedServices } from '../modules/services/seed/seed.js';

export { SCALES, scaleNamed, type Scale } from './scales.js';

/** In dependency order; the audit log is never seeded (it is append-only). */
const SEEDERS: ReadonlyArray<readonly [string, Seeder]> = [
  ['reference', seedReference],
  ['population', seedPopulation],
  ['business', seedBusiness],
  ['services', seedServices],
  ['opendata', seedOpendata],
  ['ioc', seedIoc],
];

export interface SeedTiming {
  source: string;
  seconds: number;
}

/** Replaces the data of every seeded source with a deterministic data set of the given scale. */
export async function seedAll(
  connections: Connections,
  scale: Scale,
  seed: number,
  log: (message: string) => void = () => undefined,
): Promise<SeedTiming[]> {
  const timings: SeedTiming[] = [];
  for (const [source, seeder] of SEEDERS) {
    const started = performance.now();
    await seeder({ scale, seed, sources: connections.sources, log });
    const seconds = (performance.now() - started) / 1000;
    timings.push({ source, seconds });
    log(`${source}: seeded in ${seconds.toFixed(1)} s`);
  }
  return timings;
}
