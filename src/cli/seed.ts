import { scaleNamed, SCALES, seedAll } from '../seed/index.js';
import { migrateAll } from '../modules/migrate.js';
import { checkScale, checkSeed, DATABASE_HELP, runCommand } from './run.js';

const HELP = `Usage: npm run db:seed -- [--scale <name>] [--seed <number>]

Replaces the data of every source (except the append-only audit log) with a deterministic data
set: the same seed value gives the same rows. Migrates first if needed.

  --scale   ${Object.values(SCALES).map((s) => `${s.name} (${s.citizens.toLocaleString('en')} citizens, ${s.dossiers.toLocaleString('en')} dossiers)`).join('\n            ')}
            default: SEED_SCALE or small
  --seed    the seed value (default: SEED or 20241031)

${DATABASE_HELP}`;

const scaleOf = (args: Record<string, string | boolean | undefined>, fallback: string) => checkScale(String(args.scale ?? fallback), Object.keys(SCALES));

await runCommand(
  HELP,
  { scale: { type: 'string' }, seed: { type: 'string' } },
  async (args, connections, config) => {
    const scale = scaleNamed(scaleOf(args, config.seedScale));
    const seed = checkSeed(args.seed, config.seedValue);
    await migrateAll(connections);
    const started = performance.now();
    await seedAll(connections, scale, seed, (message) => console.log(message));
    console.log(`Seeded scale ${scale.name} (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  },
  (args, config) => {
    scaleOf(args, config.seedScale);
    checkSeed(args.seed, config.seedValue);
  },
);
