/**
 * The citizen portal's "who read my data", verified: for each read of the citizen's data, who
 * (agency, role), why, when, and whether the read is provably in the access log.
 *
 *   npx tsx examples/citizen-portal.ts -- --citizen 048082644728
 *   npx tsx examples/citizen-portal.ts -- --url http://127.0.0.1:4000/graphql --key '<verifier key>'
 *   TOKEN=$(npm run -s token -- --role citizen --citizen 048082644728) npx tsx examples/citizen-portal.ts
 *
 * The reads come through the typed client, by the hash of the CitizenAccessLog document of
 * src/clients/operations (a trusted document: a production gateway runs it). Each entry comes
 * with its salt and canonical form and an inclusion proof against a signed checkpoint; the typed client's verifyEntry recomputes the leaf from them, checks that what is
 * printed is what the log holds, and folds the proof up to the checkpoint's root, whose
 * signature it verifies with the log's key. Pin that key (--key, from
 * GET /.well-known/access-log/key on a day you trust, or from the city's publication): fetched
 * from the same gateway, it proves the log's consistency, not who runs it.
 */
import { parseArgs } from 'node:util';
import { createGatewayClient, verifyEntry, type EntryVerification } from '../src/clients/client.js';
import { CitizenAccessLogDocument } from '../src/generated/graphql.js';
import { mintDevToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';

const USAGE = `Usage: npx tsx examples/citizen-portal.ts -- [--url <graphql url>] [--citizen <national id>] [--key <verifier key>]... [--first <n>]

  --url      the gateway's GraphQL endpoint (default http://127.0.0.1:4000/graphql)
  --citizen  the citizen's 12-digit national id (a development token is minted; or set TOKEN)
  --key      the access log's verifier key; repeated after a key rotation (the current key and
             the previous ones). Default: the keys listed at /.well-known/access-log/key
  --first    how many reads (1 to 100, default 20)`;

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function verdict(result: EntryVerification): string {
  return result.verified ? `inclusion verified against checkpoint ${result.checkpoint.treeSize}` : `NOT verified: ${result.reason}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, citizen: { type: 'string' }, key: { type: 'string', multiple: true }, first: { type: 'string' }, help: { type: 'boolean' } } });
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
  let verifierKeys = values.key ?? [];
  if (verifierKeys.length === 0) {
    const key = (await (await fetch(new URL('/.well-known/access-log/key', url))).json()) as { verifierKey: string; keys?: Array<{ verifierKey: string }> };
    verifierKeys = key.keys?.map((k) => k.verifierKey) ?? [key.verifierKey];
    console.log(`(the log's keys, fetched from the gateway: ${verifierKeys.join(', ')}; pin them with --key)`);
  }
  const gateway = createGatewayClient({ url, token, clientApp: 'citizen-portal' });
  let me;
  try {
    ({ me } = await gateway.request(CitizenAccessLogDocument, { first }));
  } catch (error) {
    console.error(`the gateway answered: ${(error as Error).message}`);
    return 1;
  }
  if (!me?.accessLog) {
    console.error('the gateway answered without the citizen or their access log');
    return 1;
  }
  const { fullName, accessLog } = me;
  console.log(`Who read the data of ${fullName ?? '(no name)'} (${accessLog.totalCount ?? '?'} reads and look-ups; the latest ${accessLog.edges.length}):`);
  let failures = 0;
  for (const { node } of accessLog.edges) {
    const { occurredAt, actorRole, actorAgency, purpose, fields, outcome, foundBy } = node;
    const result = await verifyEntry({ shown: { occurredAt, actorRole, actorAgency, purpose, fields, outcome, foundBy }, commitment: node.commitment, inclusionProof: node.inclusionProof }, verifierKeys);
    const found = foundBy.length > 0 && outcome !== 'FOUND_BY' ? ` (found by ${foundBy.join(', ')})` : '';
    if (!result.verified) failures += 1;
    console.log(`- ${when.format(new Date(occurredAt))}  ${actorAgency ?? '(no agency)'} (${actorRole}), ${purpose ?? 'no purpose declared'}: ${outcome} ${fields.join(', ')}${found} — ${verdict(result)}`);
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
