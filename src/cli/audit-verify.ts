import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { AuditDatabase } from '../modules/audit/db/tables.js';
import type { ExternalCheckpoint } from '../modules/audit/db/index.js';
import { verifyAccessLog } from '../modules/audit/db/log-verify.js';
import { openWitness } from '../modules/audit/db/witness.js';
import { accessLogTrustedKeys, accessLogVerifierKey, keyNameOf } from '../modules/audit/keys.js';
import { DATABASE_HELP, runCommand, UsageError } from './run.js';

const HELP = `Usage: npm run audit:verify -- [--checkpoint <file>]... [--witness <folder or postgres URL>] [--key <verifier key or file>]...

Verifies the whole access log: the hash chain of the entries appended before the Merkle tree,
then the tree: every entry recomputed into its leaf, the nodes and the root recomputed from the
leaves, every signed checkpoint's signature (with the log's public key, never one read from the
database) and root. Prints "intact: N entries verified" and exits 0, or names the first problem
(changed, removed, inserted, reordered, unsigned, contradicted) and where, and exits 1.

  --checkpoint  a checkpoint saved earlier outside the database (npm run audit:checkpoint --
                --out <file>); the log must still give its root at its size: a rewrite of the
                entries together with the tree and its checkpoints is caught here. May be repeated.
  --witness     compare with the witness's checkpoints (default: ACCESS_LOG_WITNESS_URL, if set)
  --key         the log's verifier key (<name>+<key id>+<key>, GET /.well-known/access-log/key),
                or a file holding it; default: the public half of ACCESS_LOG_SIGNING_KEY, or of
                the key in the data folder. May be repeated after a key rotation: the first is
                the current key, the others keys the log signed with before; the keys of
                ACCESS_LOG_TRUSTED_KEYS are trusted too. A checkpoint verifies when one of them
                signed it.

${DATABASE_HELP}`;

await runCommand(
  HELP,
  { checkpoint: { type: 'string', multiple: true }, witness: { type: 'string' }, key: { type: 'string', multiple: true } },
  async (args, connections, config) => {
    const given = ([] as string[]).concat((args.key as unknown as string[] | undefined) ?? []);
    const current = accessLogVerifierKey(config.accessLog, given[0]);
    if (!current) throw new UsageError('no key to verify the checkpoints with: pass --key <verifier key> (GET /.well-known/access-log/key) or set ACCESS_LOG_SIGNING_KEY');
    const keys = accessLogTrustedKeys(current, config.accessLog, given.slice(1));
    const files = ([] as string[]).concat((args.checkpoint as unknown as string[] | undefined) ?? []);
    const external: ExternalCheckpoint[] = files.map((file) => ({ source: file, note: readFileSync(file, 'utf8') }));
    const witnessUrl = (args.witness as string | undefined) ?? config.accessLog.witnessUrl;
    const witness = witnessUrl ? openWitness(witnessUrl) : undefined;
    try {
      // The witness first: everything it holds was in the database before the verification's snapshot.
      if (witness) for (const c of await witness.list()) external.push({ source: `the witness (${witness.describe})`, note: c.note });
      const result = await verifyAccessLog(connections.sources.audit.db as Kysely<AuditDatabase>, { key: keys, external });
      const tree = result.tree;
      if (result.intact) {
        console.log(`intact: ${result.checked} entries verified`);
        if (tree) {
          const parts = [`tree of ${tree.treeSize} leaves`, `${tree.checkpoints} signed checkpoints`, `chain of ${result.chain.checked} entries before the tree`];
          if (tree.erased) parts.push(`${tree.erased} leaves with erased salts`);
          if (tree.pending) parts.push(`${tree.pending} entries pending integration`);
          if (files.length) parts.push(`consistent with ${files.join(', ')}`);
          if (witness) parts.push(`${external.length - files.length} witness checkpoints agree (${witness.describe})`);
          console.error(`verified with key ${keys.map(keyNameOf).join(', ')}: ${parts.join('; ')}`);
        }
        return 0;
      }
      const where = result.firstBadId !== undefined ? `at entry id ${result.firstBadId}` : tree?.firstBadLeaf !== undefined ? `at leaf ${tree.firstBadLeaf}` : 'at the end of the log';
      console.log(`NOT intact: ${result.problem?.toLowerCase() ?? 'broken'} ${where} (${result.checked} entries verified before it)`);
      if (result.detail) console.log(`  ${result.detail}`);
      return 1;
    } finally {
      await witness?.close();
    }
  },
);
