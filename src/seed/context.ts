import type { SourceConnection } from '../platform/db/connection.js';
import type { SourceName } from '../platform/db/source-names.js';
import type { Scale } from './scales.js';

export interface SeedContext {
  scale: Scale;
  /** The seed value: the same value gives the same rows. */
  seed: number;
  sources: Record<SourceName, SourceConnection>;
  log(message: string): void;
}

/** Seeds one source: empties its tables and loads generated rows. */
export type Seeder = (ctx: SeedContext) => Promise<void>;
