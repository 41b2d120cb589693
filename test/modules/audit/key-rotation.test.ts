import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, verifyCheckpoint, verifyConsistency, verifyEntry } from '../../../src/clients/client.js';
import { loadConfig } from '../../../src/config.js';
import { verifyAccessLog } from '../../../src/modules/audit/db/log-verify.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../../src/modules/audit/db/note.js';
import type { AuditDatabase } from '../../../src/modules/audit/db/tables.js';
import { accessLogTrustedKeys } from '../../../src/modules/audit/keys.js';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.js';
import { as } from '../../support/as.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../../support/access-log-key.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/**
 * Key rotation: the log signs with a new key (ACCESS_LOG_SIGNING_KEY) and lists the one before
 * in ACCESS_LOG_TRUSTED_KEYS. The tree goes on; the checkpoints the old key signed still verify
 * with the trusted keys (and only with them), and the consistency proof across the rotation
 * verifies between a checkpoint of each key.
 */
const ORIGIN = 'city-data-gateway.test/access-log';
const OLD = parseSignerKey(TEST_ACCESS_LOG_SIGNING_KEY);
/** The new signer key (ACCESS_LOG_SIGNING_KEY after the rotation). */
const KEY_TEXT = generateSignerKey(ORIGIN);
const NEW = parseSignerKey(KEY_TEXT);

let gw: TestGateway;
let rotated: RunningGateway | undefined;
let before: { size: number; note: string; entryId: number };

const audit = () => gw.databases.connections.sources.audit;
const count = async () => (await sql<{ n: number }>`select count(*)::int as n from audit.access_log`.execute(audit().root)).rows[0]!.n;

async function latestCheckpoint(): Promise<{ size: number; note: string; key: string }> {
  const { rows } = await sql<{ size: number; note: string; key: string }>`select tree_size::int as size, note, key from audit.access_log_checkpoint order by tree_size desc limit 1`.execute(audit().root);
  return rows[0]!;
}

/** Until a checkpoint covers every entry. */
async function integrated(): Promise<{ size: number; note: string; key: string }> {
  const started = Date.now();
  const entries = await count();
  for (;;) {
    const latest = await latestCheckpoint();
    if (latest.size >= entries) return latest;
    if (Date.now() - started > 10_000) throw new Error('entries not integrated within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readCitizens(url: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await as('admin', { purpose: 'LEGAL_OBLIGATION' })) },
    body: JSON.stringify({ query: '{ citizens(first: 3) { edges { node { fullName nationalId } } } }' }),
  });
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
}

beforeAll(async () => {
  gw = await startTestGateway();
  await readCitizens(gw.url);
  const signed = await integrated();
  expect(signed.key).toBe(`${ORIGIN}+${OLD.keyId.toString(16).padStart(8, '0')}`);
  const { rows } = await sql<{ id: number }>`select entry_id::int as id from audit.access_log_leaf order by leaf_index desc limit 1`.execute(audit().root);
  before = { size: signed.size, note: signed.note, entryId: rows[0]!.id };

  // The rotation: the gateway restarts with the new key and trusts the old one.
  await gw.gateway.close();
  const env = { ...gw.databases.env, ACCESS_LOG_SIGNING_KEY: KEY_TEXT, ACCESS_LOG_TRUSTED_KEYS: OLD.verifierKey };
  rotated = await startGateway(loadConfig(env), { port: 0, connections: gw.databases.connections });
  await readCitizens(rotated.url);
  const after = await integrated();
  expect(after.size).toBeGreaterThan(before.size);
  expect(after.key).toBe(`${ORIGIN}+${NEW.keyId.toString(16).padStart(8, '0')}`);
});

afterAll(async () => {
  await rotated?.close();
  await gw?.databases.close();
});

describe('access log key rotation', () => {
  it('the key endpoint lists the current key and the previous one, with their key ids', async () => {
    const body = (await (await fetch(new URL('/.well-known/access-log/key', rotated!.url))).json()) as {
      keyId: string;
      verifierKey: string;
      keys: Array<{ keyName: string; keyId: string; verifierKey: string; current: boolean }>;
    };
    const hex = (id: number) => id.toString(16).padStart(8, '0');
    expect(body.verifierKey).toBe(NEW.verifierKey);
    expect(body.keyId).toBe(hex(NEW.keyId));
    expect(body.keys).toEqual([
      { keyName: ORIGIN, keyId: hex(NEW.keyId), algorithm: 'Ed25519', publicKey: NEW.publicKey.toString('base64'), verifierKey: NEW.verifierKey, current: true },
      { keyName: ORIGIN, keyId: hex(OLD.keyId), algorithm: 'Ed25519', publicKey: OLD.publicKey.toString('base64'), verifierKey: OLD.verifierKey, current: false },
    ]);
  });

  it('a checkpoint signed before the rotation verifies with the trusted keys only, and the consistency proof across the rotation verifies', async () => {
    const keys = [NEW.verifierKey, OLD.verifierKey];
    const old = await verifyCheckpoint(before.note, keys);
    expect(old).toMatchObject({ treeSize: before.size, keyId: OLD.keyId.toString(16).padStart(8, '0') });
    await expect(verifyCheckpoint(before.note, NEW.verifierKey)).rejects.toThrow(CheckpointError);

    const latestNote = await (await fetch(new URL('/.well-known/access-log/checkpoint', rotated!.url))).text();
    const latest = await verifyCheckpoint(latestNote, keys);
    expect(latest.keyId).toBe(NEW.keyId.toString(16).padStart(8, '0'));
    await expect(verifyCheckpoint(latestNote, OLD.verifierKey)).rejects.toThrow(CheckpointError);

    const res = await fetch(rotated!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await as('auditor')) },
      body: JSON.stringify({ query: 'query($from: Int!, $to: Int!) { accessLogConsistency(fromSize: $from, toSize: $to) { fromSize toSize hashes } }', variables: { from: old.treeSize, to: latest.treeSize } }),
    });
    const proof = ((await res.json()) as { data: { accessLogConsistency: { fromSize: number; toSize: number; hashes: string[] } } }).data.accessLogConsistency;
    expect(proof).toMatchObject({ fromSize: before.size, toSize: latest.treeSize });
    expect(await verifyConsistency({ fromSize: old.treeSize, toSize: latest.treeSize, fromRoot: old.rootHash, toRoot: latest.rootHash, hashes: proof.hashes })).toBe(true);
    // The roots swapped: the proof no longer holds.
    expect(await verifyConsistency({ fromSize: old.treeSize, toSize: latest.treeSize, fromRoot: latest.rootHash, toRoot: old.rootHash, hashes: proof.hashes })).toBe(false);
  });

  it('an entry from before the rotation proves its inclusion against the old checkpoint and the new one', async () => {
    const keys = [NEW.verifierKey, OLD.verifierKey];
    const res = await fetch(rotated!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await as('auditor')) },
      body: JSON.stringify({
        query: `query($size: Int!) { accessLog(first: 100) { edges { node { id actorSubject
          commitment { salt canonicalForm restrictedSalt restrictedForm }
          old: inclusionProof(treeSize: $size) { leafIndex treeSize leafHash hashes checkpoint { note } }
          now: inclusionProof { leafIndex treeSize leafHash hashes checkpoint { note } } } } } }`,
        variables: { size: before.size },
      }),
    });
    type Proof = { leafIndex: number; treeSize: number; leafHash: string; hashes: string[]; checkpoint: { note: string } };
    const body = (await res.json()) as { data: { accessLog: { edges: Array<{ node: { id: string; actorSubject: string; commitment: { salt: string; canonicalForm: string; restrictedSalt: string; restrictedForm: string }; old: Proof | null; now: Proof } }> } } };
    const rowId = (id: string) => Number(/:(\d+)$/.exec(Buffer.from(id, 'base64url').toString())![1]);
    const entry = body.data.accessLog.edges.map((e) => e.node).find((node) => rowId(node.id) === before.entryId)!;
    expect(entry).toBeDefined();
    for (const proof of [entry.old!, entry.now]) {
      const result = await verifyEntry({ shown: { actorSubject: entry.actorSubject }, commitment: entry.commitment, inclusionProof: proof }, keys);
      expect(result).toMatchObject({ verified: true, checkpoint: { treeSize: proof.treeSize } });
    }
    expect(entry.old!.treeSize).toBe(before.size);
    expect(await verifyEntry({ commitment: entry.commitment, inclusionProof: entry.old }, NEW.verifierKey)).toMatchObject({ verified: false, reason: expect.stringMatching(/^checkpoint: the checkpoint carries no signature/) });
  });

  it('the whole log verifies with the trusted keys (the gateway, audit:verify’s check), and is UNSIGNED with the new key alone', async () => {
    const res = await fetch(rotated!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await as('auditor')) },
      body: JSON.stringify({ query: '{ accessLogVerification { intact problem checkpoints treeSize } }' }),
    });
    const verification = ((await res.json()) as { data: { accessLogVerification: { intact: boolean; problem: string | null; checkpoints: number; treeSize: number } } }).data.accessLogVerification;
    expect(verification).toMatchObject({ intact: true, problem: null, treeSize: await count() });
    expect(verification.checkpoints).toBeGreaterThanOrEqual(2);

    const db = audit().db as Kysely<AuditDatabase>;
    const config = loadConfig({ ...gw.databases.env, ACCESS_LOG_SIGNING_KEY: KEY_TEXT, ACCESS_LOG_TRUSTED_KEYS: OLD.verifierKey }).accessLog;
    const trusted = accessLogTrustedKeys(parseVerifierKeyWithText(NEW.verifierKey), config);
    expect(trusted.map((k) => k.verifierKey)).toEqual([NEW.verifierKey, OLD.verifierKey]);
    expect(await verifyAccessLog(db, { key: trusted })).toMatchObject({ intact: true });
    expect(await verifyAccessLog(db, { key: parseVerifierKey(NEW.verifierKey) })).toMatchObject({ intact: false, problem: 'UNSIGNED' });
    // A trusted key of another log's name is refused: a rotated key keeps the log's name (the checkpoints' origin).
    const stranger = parseSignerKey(generateSignerKey('another.example/log')).verifierKey;
    expect(() => accessLogTrustedKeys(parseVerifierKeyWithText(NEW.verifierKey), { ...config, trustedKeys: [stranger] })).toThrow(/keeps the log's name/);
  });
});

function parseVerifierKeyWithText(text: string) {
  return { ...parseVerifierKey(text), verifierKey: text };
}
