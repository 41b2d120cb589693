/**
 * Seeds the bench's databases for some scales ahead of a run (`npx tsx bench/seed-scales.ts small
 * city`), as `npm run bench` would on first use; a scale already seeded with the seed is skipped.
 */
import { DEFAULT_ADMIN_URL, DEFAULT_SEED, prepareBenchDatabase } from './lib/database.js';

const log = (message: string) => console.log(`[seed ${new Date().toISOString().slice(11, 19)}] ${message}`);
for (const scale of process.argv.slice(2)) {
  const db = await prepareBenchDatabase({ backend: 'postgres', scale, seed: DEFAULT_SEED, adminUrl: process.env.BENCH_POSTGRES_URL ?? DEFAULT_ADMIN_URL }, { log });
  await db.connections.close();
}
