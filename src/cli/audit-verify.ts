import { createRepositories } from '../modules/repositories.js';
import { DATABASE_HELP, runCommand } from './run.js';

const HELP = `Usage: npm run audit:verify

Walks the whole access log and checks its hash chain and its head. Prints "intact" and exits 0,
or names the first entry where the chain breaks and how (changed, removed, inserted or
reordered) and exits 1.

${DATABASE_HELP}`;

await runCommand(HELP, {}, async (_args, connections) => {
  const result = await createRepositories(connections).audit.accessLog.verify();
  if (result.intact) {
    console.log(`intact: ${result.checked} entries verified`);
    return 0;
  }
  const where = result.firstBadId === undefined ? 'at the end of the log' : `at entry id ${result.firstBadId}`;
  console.log(`NOT intact: ${result.problem?.toLowerCase() ?? 'broken'} ${where} (${result.checked} entries verified before it)`);
  return 1;
});
