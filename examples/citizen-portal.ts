/**
 * The citizen portal's "who read my data", verified: for each read of the citizen's data, who
 * (agency, role), why, when, and whether the read is provably in the access log.
 *
 *   npx tsx examples/citizen-portal.ts -- --citizen 048082644728
 *   npx tsx examples/citizen-portal.ts -- --url http://127.0.0.1:4000/graphql --key '<verifier key>'
 *   TOKEN=$(npm run -s token -- --role citizen --citizen 048082644728) npx tsx examples/citizen-portal.ts
 *
 * Each entry comes with its salt and canonical form and an inclusion proof against a signed
 * checkpoint; the typed client's verifyEntry recomputes the leaf from them, checks that what is
 * printed is what the log holds, and folds the proof up to the checkpoint's root, whose
 * signature it verifies with the log's key. Pin that key (--key, from
 * GET /.well-known/access-log/key on a day you trust, or from the city's publication): fetched
 * from the same gateway, it proves the log's consistency, not who runs it.
 */
import { parseArgs } from 'node:util';
import { verifyEntry, type EntryVerification } from '../src/clients/client.js';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';

const USAGE = `Usage: npx tsx examples/citizen-portal.ts -- [--url <graphql url>] [--citizen <national id>] [--key <verifier key>] [--first <n>]

  --url      the gateway's GraphQL endpoint (default http://127.0.0.1:4000/graphql)
  --citizen  the citizen's 12-digit national id (a development token is minted; or set TOKEN)
  --key      the access log's verifier key (default: fetched from /.well-known/access-log/key)
  --first    how many reads (1 to 100, default 20)`;

const QUERY = `query CitizenAccessLog($first: Int!) {
  me {
    fullName
    accessLog(first: $first) {
      totalCount
      edges { node {
        occurredAt actorRole actorAgency purpose fields outcome
        commitment { salt canonicalForm }
        inclusionProof { leafIndex treeSize leafHash hashes checkpoint { note treeSize } }
      } }
    }
  }
}`;

interface Read {
  occurredAt: string;
  actorRole: string;
  actorAgency: string | null;
  purpose: string | null;
  fields: string[];
  outcome: string;
  commitment: { salt: string | null; canonicalForm: string | null } | null;
  inclusionProof: { leafIndex: number; treeSize: number; leafHash: string; hashes: string[]; checkpoint: { note: string; treeSize: number } } | null;
}

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function verdict(result: EntryVerification): string {
  return result.verified ? `inclusion verified against checkpoint ${result.checkpoint.treeSize}` : `NOT verified: ${result.reason}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, citizen: { type: 'string' }, key: { type: 'string' }, first: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const url = values.url ?? 'http://127.0.0.1:4000/graphql';
  const first = Number(values.first ?? 20);
  let token = process.env.TOKEN;
  if (!token) {
    if (!values.citizen) {
      console.error(`--citizen or TOKEN is needed\n\n${USAGE}`);
      return 2;
    }
    token = await mintDevToken(loadConfig().auth, { role: 'citizen', citizenId: values.citizen });
  }
  let verifierKey = values.key;
  if (!verifierKey) {
    const key = (await (await fetch(new URL('/.well-known/access-log/key', url))).json()) as { verifierKey: string };
    verifierKey = key.verifierKey;
    console.log(`(the log's key, fetched from the gateway: ${verifierKey}; pin it with --key)`);
  }
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY, variables: { first } }) });
  const body = (await response.json()) as { data?: { me: { fullName: string; accessLog: { totalCount: number; edges: Array<{ node: Read }> } } }; errors?: Array<{ message: string }> };
  if (!body.data?.me) {
    console.error(`the gateway answered: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`);
    return 1;
  }
  const { fullName, accessLog } = body.data.me;
  console.log(`Who read the data of ${fullName} (${accessLog.totalCount} reads and look-ups; the latest ${accessLog.edges.length}):`);
  let failures = 0;
  for (const { node } of accessLog.edges) {
    const { occurredAt, actorRole, actorAgency, purpose, fields, outcome } = node;
    const result = await verifyEntry({ shown: { occurredAt, actorRole, actorAgency, purpose, fields, outcome }, commitment: node.commitment, inclusionProof: node.inclusionProof }, verifierKey);
    if (!result.verified) failures += 1;
    console.log(`- ${when.format(new Date(occurredAt))}  ${actorAgency ?? '(no agency)'} (${actorRole}), ${purpose ?? 'no purpose declared'}: ${outcome} ${fields.join(', ')} — ${verdict(result)}`);
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
