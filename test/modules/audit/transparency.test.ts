import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCanonicalForm, verifyCheckpoint, verifyConsistency, verifyEntry } from '../../../src/clients/client.js';
import { as } from '../../support/as.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../../support/access-log-key.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { startIdentityProvider } from '../../support/identity-provider.js';
import { loadConfig } from '../../../src/config.js';
import { startGateway } from '../../../src/server/gateway.js';

/**
 * The transparency log as its readers see it: the key and the latest checkpoint over HTTP, and
 * through GraphQL the proofs on every entry a caller may read (auditors; citizens about
 * themselves, without the reader's identity), consistency proofs for auditors, all verified with
 * the typed client's verifiers.
 */
let gw: TestGateway;
let base: string;
let verifierKey: string;
let citizen: { id: number; nationalId: string };

interface Proof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
  checkpoint: { note: string; treeSize: number };
}
interface Commitment {
  salt: string | null;
  canonicalForm: string | null;
  restrictedSalt: string | null;
  restrictedForm: string | null;
}
const PROOF = 'inclusionProof { leafIndex treeSize leafHash hashes checkpoint { note treeSize } }';
const COMMITMENT = 'commitment { salt canonicalForm restrictedSalt restrictedForm }';

async function logCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit.access_log`.execute(gw.databases.connections.sources.audit.root);
  return rows[0]!.n;
}

/** Until the latest checkpoint covers every entry: returns how long that took. */
async function integrated(): Promise<number> {
  const started = Date.now();
  const count = await logCount();
  for (;;) {
    const res = await gw.query<{ accessLogCheckpoint: { treeSize: number } }>('{ accessLogCheckpoint { treeSize } }');
    if (res.data!.accessLogCheckpoint.treeSize >= count) return Date.now() - started;
    if (Date.now() - started > 10_000) throw new Error('entries not integrated within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  gw = await startTestGateway('tiny', { ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY });
  base = gw.url.replace(/\/graphql$/, '');
  const { rows } = await sql<{ id: number; national_id: string }>`select id, national_id from population.citizens order by id limit 1`.execute(gw.databases.connections.sources.population.root);
  citizen = { id: Number(rows[0]!.id), nationalId: rows[0]!.national_id };
  // Reads of the citizen, by an admin with a purpose and an officer of another agency (refused).
  for (let i = 0; i < 3; i += 1) {
    await gw.query('query($n: String!) { citizen(nationalId: $n) { fullName phone } }', { n: citizen.nationalId }, await as('admin', { purpose: 'LEGAL_OBLIGATION' }));
  }
  await gw.query('{ citizens(first: 20, orderBy: NEWEST) { edges { node { fullName nationalId } } } }', {}, await as('admin', { purpose: 'LEGAL_OBLIGATION' }));
});
afterAll(async () => gw?.close());

describe('GET /.well-known/access-log', () => {
  it('publishes the key and the latest signed checkpoint', async () => {
    const key = (await (await fetch(`${base}/.well-known/access-log/key`)).json()) as { origin: string; keyId: string; publicKey: string; verifierKey: string; algorithm: string };
    expect(key).toMatchObject({ origin: 'city-data-gateway.test/access-log', keyId: 'e50cb82d', algorithm: 'Ed25519' });
    expect(key.verifierKey).toBe(`city-data-gateway.test/access-log+e50cb82d+${Buffer.concat([Buffer.from([1]), Buffer.from(key.publicKey, 'base64')]).toString('base64')}`);
    verifierKey = key.verifierKey;
    await integrated();
    const response = await fetch(`${base}/.well-known/access-log/checkpoint`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const checkpoint = await verifyCheckpoint(await response.text(), verifierKey);
    expect(checkpoint.treeSize).toBe(await logCount());
  });
});

describe('proofs through GraphQL', () => {
  it('a citizen proves the reads of their data are in the log, and is not shown who read them', async () => {
    const waited = await integrated();
    expect(waited).toBeLessThan(2_000);
    const res = await gw.query<{ me: { accessLog: { edges: Array<{ node: { occurredAt: string; actorRole: string; actorAgency: string | null; purpose: string | null; fields: string[]; outcome: string; commitment: Commitment; inclusionProof: Proof } }> } } }>(
      `{ me { accessLog(first: 20) { edges { node { occurredAt actorRole actorAgency purpose fields outcome ${COMMITMENT} ${PROOF} } } } } }`,
      {},
      await as('citizen', { citizenId: citizen.nationalId }),
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.me.accessLog.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const node of nodes) {
      expect(node.commitment.restrictedSalt).toBeNull();
      expect(node.commitment.restrictedForm).toBeNull();
      expect(node.commitment.canonicalForm).not.toContain('dev-admin');
      const { occurredAt, actorRole, actorAgency, purpose, fields, outcome } = node;
      const result = await verifyEntry({ shown: { occurredAt, actorRole, actorAgency, purpose, fields, outcome }, commitment: node.commitment, inclusionProof: node.inclusionProof }, verifierKey);
      expect(result).toMatchObject({ verified: true, checkpoint: { treeSize: node.inclusionProof.treeSize } });
      // What the page shows must be what the log holds: a different agency is caught.
      expect(await verifyEntry({ shown: { actorAgency: 'SKHDT' }, commitment: node.commitment, inclusionProof: node.inclusionProof }, verifierKey)).toMatchObject({ verified: false });
    }
  });

  it('auditors get the restricted part too, and seq is the leaf’s position; a page of proofs costs the same SQL as a smaller one', async () => {
    const query = async (first: number) =>
      gw.query<{ accessLog: { edges: Array<{ node: { seq: number; requestId: string; actorSubject: string; subjectId: string; commitment: Commitment; inclusionProof: Proof } }> } }>(
        `query($first: Int!) { accessLog(first: $first) { edges { node { seq requestId actorSubject subjectId ${COMMITMENT} ${PROOF} } } } }`,
        { first },
        await as('auditor'),
      );
    const res = await query(20);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.accessLog.edges.map((e) => e.node);
    expect(nodes).toHaveLength(20);
    for (const node of nodes) {
      expect(node.seq).toBe(node.inclusionProof.leafIndex + 1);
      expect((JSON.parse(node.commitment.restrictedForm!) as unknown[]).slice(0, 3)).toEqual(['access-log/v2/restricted', node.requestId, node.actorSubject]);
      expect(parseCanonicalForm(node.commitment.canonicalForm!).subjectId).toBe(node.subjectId);
      const shown = { requestId: node.requestId, actorSubject: node.actorSubject, subjectId: node.subjectId };
      expect(await verifyEntry({ shown, commitment: node.commitment, inclusionProof: node.inclusionProof }, verifierKey)).toMatchObject({ verified: true });
      expect(await verifyEntry({ shown: { ...shown, actorSubject: 'someone-else' }, commitment: node.commitment, inclusionProof: node.inclusionProof }, verifierKey)).toMatchObject({ verified: false });
    }
    const small = await query(2);
    const statements = (r: typeof res) => r.extensions?.sqlStatements?.bySource.audit;
    expect(statements(res)).toBeDefined();
    expect(statements(res)).toBe(statements(small));
  });

  it('consistency proofs for auditors verify between checkpoints; others are refused', async () => {
    const first = (await gw.query<{ accessLogCheckpoint: { treeSize: number; rootHash: string } }>('{ accessLogCheckpoint { treeSize rootHash } }')).data!.accessLogCheckpoint;
    await gw.query('query($n: String!) { citizen(nationalId: $n) { birthDate } }', { n: citizen.nationalId }, await as('admin', { purpose: 'LEGAL_OBLIGATION' }));
    await integrated();
    const res = await gw.query<{ accessLogConsistency: { fromSize: number; toSize: number; hashes: string[]; from: { rootHash: string; note: string }; to: { rootHash: string; note: string } } }>(
      'query($from: Int!) { accessLogConsistency(fromSize: $from) { fromSize toSize hashes from { rootHash note } to { rootHash note } } }',
      { from: first.treeSize },
      await as('auditor'),
    );
    expect(res.errors).toBeUndefined();
    const proof = res.data!.accessLogConsistency;
    expect(proof.toSize).toBeGreaterThan(proof.fromSize);
    const [from, to] = [await verifyCheckpoint(proof.from.note, verifierKey), await verifyCheckpoint(proof.to.note, verifierKey)];
    expect(await verifyConsistency({ fromSize: from.treeSize, toSize: to.treeSize, fromRoot: from.rootHash, toRoot: to.rootHash, hashes: proof.hashes })).toBe(true);
    expect(await verifyConsistency({ fromSize: from.treeSize, toSize: to.treeSize, fromRoot: to.rootHash, toRoot: to.rootHash, hashes: proof.hashes })).toBe(false);
    for (const headers of [{}, await as('citizen', { citizenId: citizen.nationalId }), await as('officer', { agency: 'SKHDT' })]) {
      const refused = await gw.query('{ accessLogConsistency(fromSize: 1) { hashes } }', {}, headers);
      expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
    const bad = await gw.query('{ accessLogConsistency(fromSize: 1, toSize: 100000000) { hashes } }', {}, await as('auditor'));
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    // Anyone may read the checkpoints.
    expect((await gw.query('{ accessLogCheckpoint { treeSize note } }')).errors).toBeUndefined();
  });

  it('the auditors’ verification covers the tree and its signed checkpoints', async () => {
    await integrated();
    const res = await gw.query<{ accessLogVerification: { intact: boolean; checked: number; treeSize: number; pending: number; checkpoints: number; problem: string | null } }>(
      '{ accessLogVerification { intact checked treeSize pending checkpoints problem } }',
      {},
      await as('auditor'),
    );
    const count = await logCount();
    expect(res.data!.accessLogVerification).toMatchObject({ intact: true, checked: count, treeSize: count, pending: 0, problem: null });
    expect(res.data!.accessLogVerification.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('the citizen portal example prints who, why, when, and "inclusion verified against checkpoint N" for each read', async () => {
    await integrated();
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'examples/citizen-portal.ts', '--url', gw.url, '--citizen', citizen.nationalId, '--key', verifierKey], { timeout: 120_000 });
    const reads = stdout.split('\n').filter((line) => line.startsWith('- '));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (const line of reads) expect(line).toMatch(/^- \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d {2}.+ \((admin|officer|analyst)\), .+: [A-Z_]+ .+ — inclusion verified against checkpoint \d+$/);
  });
  it('the citizen portal example runs its manifest document: a production gateway (trusted documents only) serves it, by hash', async () => {
    await integrated();
    const idp = await startIdentityProvider({ alg: 'RS256', kid: 'citizen-portal-test' });
    const production = await startGateway(loadConfig({ ...gw.databases.env, NODE_ENV: 'production', ...idp.env, CURSOR_SECRET: 'citizen-portal-test-cursor-secret-0123456789' }), {
      port: 0,
      connections: gw.databases.connections,
    });
    try {
      const token = await idp.token({ sub: `citizen-${citizen.nationalId}`, role: 'citizen', citizen_id: citizen.nationalId, azp: 'citizen-portal' });
      const { stdout } = await promisify(execFile)('npx', ['tsx', 'examples/citizen-portal.ts', '--url', production.url, '--key', verifierKey], { timeout: 120_000, env: { ...process.env, TOKEN: token } });
      const reads = stdout.split('\n').filter((line) => line.startsWith('- '));
      expect(reads.length).toBeGreaterThanOrEqual(3);
      for (const line of reads) expect(line).toMatch(/ — inclusion verified against checkpoint \d+$/);
      // The same text outside the manifest is refused there: what ran was the manifest's.
      const manifest = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
      const document = Object.values(manifest).find((text) => /(?:^|\s)query CitizenAccessLog\b/.test(text))!;
      expect(document).toContain('inclusionProof');
      const refused = await fetch(production.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `${document} ` }),
      });
      expect(((await refused.json()) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    } finally {
      await production.close();
      await idp.close();
    }
  });
});
