import { sql } from 'kysely';
import { scaleNamed, seedAll } from '../../seeds/index.js';
import { migrateAll } from '../sources/migrate.js';
import { SOURCE_NAMES } from '../sources/source-names.js';
import { DATABASE_HELP, runCommand } from './run.js';

const HELP = `Usage: npm run db:reset -- [--scale <name>] [--seed <number>] [--force]

Drops every source's schema, including the audit log, then migrates and seeds again.
Refused when NODE_ENV=production unless --force is given.

${DATABASE_HELP}`;

await runCommand(HELP, { scale: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean' } }, async (args, connections, config) => {
  if (config.production && !args.force) throw new Error('db:reset drops the audit log: refused in production without --force');
  for (const name of SOURCE_NAMES) {
    const source = connections.sources[name];
    await sql`drop schema if exists ${sql.id(source.schema)} cascade`.execute(source.root);
    console.log(`${name}: dropped`);
  }
  await migrateAll(connections);
  const scale = scaleNamed(String(args.scale ?? config.seedScale));
  const seed = args.seed === undefined ? config.seedValue : Number(args.seed);
  await seedAll(connections, scale, seed, (message) => console.log(message));
});
