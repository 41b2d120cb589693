import { writeFileSync } from 'node:fs';
import { generateSignerKey, keyNames, NoteKeyError, openNoteWithKeys, parseSignerKey } from '../modules/audit/db/note.js';
import { accessLogTrustedKeys, accessLogVerifierKey } from '../modules/audit/keys.js';
import { createRepositories } from '../modules/repositories.js';
import { DATABASE_HELP, runCommand, UsageError } from './run.js';

const HELP = `Usage: npm run audit:checkpoint -- --out <file>
       npm run audit:checkpoint -- --new-key <origin>

--out: saves the access log's latest signed checkpoint (a C2SP tlog-checkpoint signed note) to a
file, after checking its signature. Keep it outside the audit database: \`npm run audit:verify
-- --checkpoint <file>\` later proves the log still extends it, unchanged.

--new-key: prints a new Ed25519 checkpoint key for ACCESS_LOG_SIGNING_KEY (its name is the
log's origin, e.g. city-data-gateway.danang.gov.vn/access-log) and its public verifier key. No
database is opened.

${DATABASE_HELP}`;

const newKey = process.argv.indexOf('--new-key');
if (newKey !== -1) {
  const origin = process.argv[newKey + 1];
  try {
    if (!origin || origin.startsWith('--')) throw new NoteKeyError('--new-key needs the log\u2019s origin (a key name, e.g. city-data-gateway.danang.gov.vn/access-log)');
    const key = generateSignerKey(origin);
    console.log(`ACCESS_LOG_SIGNING_KEY=${key}`);
    console.log(`# verifier key (public): ${parseSignerKey(key).verifierKey}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
} else {
  await runCommand(
    HELP,
    { out: { type: 'string' }, key: { type: 'string' } },
    async (args, connections, config) => {
      const latest = await createRepositories(connections).audit.accessLogTree.latestCheckpoint();
      if (!latest) throw new Error('the access log has signed no checkpoint yet (the gateway signs one when it starts)');
      const key = accessLogVerifierKey(config.accessLog, args.key as string | undefined);
      // Right after a key rotation the latest checkpoint may still be the previous key's (ACCESS_LOG_TRUSTED_KEYS).
      const keys = key ? accessLogTrustedKeys(key, config.accessLog) : undefined;
      if (keys && !openNoteWithKeys(latest.note, keys).verified) throw new Error(`the latest checkpoint (${latest.treeSize} entries) carries no valid signature of ${keyNames(keys)}: do not keep it`);
      if (args.out) {
        writeFileSync(String(args.out), latest.note, { flag: 'w' });
        console.log(`saved the checkpoint of ${latest.treeSize} entries (root ${latest.root.toString('base64')}) to ${String(args.out)}`);
      } else {
        process.stdout.write(latest.note);
      }
    },
    (args) => {
      if (args.out !== undefined && (typeof args.out !== 'string' || args.out === '')) throw new UsageError('--out needs a file name');
    },
  );
}
