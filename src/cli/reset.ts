import { sql } from 'kysely';
import { scaleNamed, SCALES, seedAll } from '../seed/index.js';
import { migrateAll } from '../modules/migrate.js';
import { SOURCE_NAMES } from '../modules/index.js';
import { checkScale, checkSeed, DATABASE_HELP, runCommand, UsageError } from './run.js';

const HELP = `Usage: npm run db:reset -- [--scale <name>] [--seed <number>] [--force]

Drops every source's schema, including the audit log, then migrates and seeds again.
Refused when NODE_ENV=production unless --force is given.

${DATABASE_HELP}`;

const scaleOf = (args: Record<string, string | boolean | undefined>, fallback: string) => checkScale(String(args.scale ?? fallback), Object.keys(SCALES));

await runCommand(
  HELP,
  { scale: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean' } },
  async (args, connections, config) => {
    const scale = scaleNamed(scaleOf(args, config.seedScale));
    const seed = checkSeed(args.seed, config.seedValue);
    for (const name of SOURCE_NAMES) {
      const source = connections.sources[name];
      await sql`drop schema if exists ${sql.id(source.schema)} cascade`.execute(source.root);
      console.log(`${name}: dropped`);
    }
    await migrateAll(connections);
    await seedAll(connections, scale, seed, (message) => console.log(message));
  },
  // Before anything is opened, let alone dropped.
  (args, config) => {
    if (config.production && !args.force) throw new UsageError('db:reset drops the audit log: refused in production without --force');
    scaleOf(args, config.seedScale);
    checkSeed(args.seed, config.seedValue);
  },
);
