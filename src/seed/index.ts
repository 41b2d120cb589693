import type { Connections } from '../platform/db/connection.js';
import { MODULES } from '../modules/index.js';
import type { Scale } from './scales.js';

export { SCALES, scaleNamed, type Scale } from './scales.js';

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
  // In the modules' order (a seed may read the rows of a source before it); the audit log has no seed.
  for (const { name: source, seed: loadSeeder } of MODULES) {
    if (!loadSeeder) continue;
    const seeder = await loadSeeder();
    const started = performance.now();
    await seeder({ scale, seed, sources: connections.sources, log });
    const seconds = (performance.now() - started) / 1000;
    timings.push({ source, seconds });
    log(`${source}: seeded in ${seconds.toFixed(1)} s`);
  }
  return timings;
}
