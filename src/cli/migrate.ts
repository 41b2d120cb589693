import { SOURCE_NAMES } from '../modules/index.js';
import { migrateAll } from '../modules/migrate.js';
import { DATABASE_HELP, runCommand } from './run.js';

const HELP = `Usage: npm run db:migrate

Brings every source (${SOURCE_NAMES.join(', ')}) to its latest schema. Applied migrations are recorded per source; running it again changes nothing.

${DATABASE_HELP}`;

await runCommand(HELP, {}, async (_args, connections) => {
  for (const report of await migrateAll(connections)) {
    console.log(`${report.source}: ${report.applied.length ? `applied ${report.applied.join(', ')}` : 'up to date'}`);
  }
});
