import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consistencyProof, EMPTY_ROOT, Frontier, inclusionProof, leafHash as serverLeafHash, treeRoot, type NodeGetter } from '../../../src/modules/audit/db/merkle.js';
import { checkpointText, generateSignerKey, noteKeyId, openNote, openNoteWithKeys, parseSignerKey, parseVerifierKey } from '../../../src/modules/audit/db/note.js';
import { commitEntry, type CommittedEntry } from '../../../src/modules/audit/db/commitment.js';
import {
  CheckpointError,
  leafHashOf,
  parseCanonicalForm,
  restrictedCommitmentOf,
  toBase64,
  verifyCheckpoint,
  verifyConsistency,
  verifyEntry,
  verifyInclusion,
} from '../../../src/clients/client.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/**
 * Known vectors: the RFC 6962 / Certificate Transparency test tree (the leaves and roots of
 * transparency-dev/merkle's testonly data, which RFC 9162 keeps) and Go's sumdb/note example key
 * and note (golang.org/x/mod/sumdb/note). Besides them, a reference written here straight from
 * the RFC's recursive definitions (MTH, PATH, SUBPROOF) over plain arrays, against which the
 * stored-subtree implementation and the client's verifiers are checked for every tree up to 40.
 */
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CT_CONSISTENCY = [
  { from: 2, to: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { from: 6, to: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

// --- the reference, from the definitions (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1) -------------
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const refLeaf = (d: Uint8Array) => sha(new Uint8Array([0]), d);
const refNode = (l: Uint8Array, r: Uint8Array) => sha(new Uint8Array([1]), l, r);
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha();
  if (d.length === 1) return refLeaf(d[0]!);
  return refNode(mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...refPath(m, d.slice(0, s)), mth(d.slice(s))] : [...refPath(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...refSubproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...refSubproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

/** The implementation under test, fed with leaves: a frontier that stores every node it completes. */
function storedTree(data: Uint8Array[]): { get: NodeGetter; roots: Uint8Array[] } {
  const nodes = new Map<string, Uint8Array>();
  const frontier = Frontier.empty();
  const roots: Uint8Array[] = [frontier.root()];
  for (const d of data) {
    const leaf = serverLeafHash(d);
    nodes.set(`0:${frontier.size}`, leaf);
    for (const node of frontier.append(leaf)) nodes.set(`${node.level}:${node.index}`, node.hash);
    roots.push(frontier.root());
  }
  return {
    get: (level, index) => {
      const hash = nodes.get(`${level}:${index}`);
      if (!hash) throw new Error(`no node ${level}:${index}`);
      return hash;
    },
    roots,
  };
}

describe('Frontier.appendBatch (the integrator\'s batch)', () => {
  it('completes the nodes, in the order and with the hashes, that one append per leaf does, across batches of every size', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => serverLeafHash(Buffer.from(`leaf ${i}`)));
    for (const batch of [1, 2, 3, 5, 8, 13, 37]) {
      const one = Frontier.empty();
      const many = Frontier.empty();
      for (let start = 0; start < leaves.length; start += batch) {
        const part = leaves.slice(start, start + batch);
        const expected = part.flatMap((leaf) => one.append(leaf));
        const got = many.appendBatch(Buffer.concat(part), part.length);
        expect(got.count).toBe(expected.length);
        expect(got.levels).toBe(expected.map((node) => node.level).join(','));
        expect(got.indexes).toBe(expected.map((node) => node.index).join(','));
        expect(hex(got.hashes)).toBe(expected.map((node) => hex(node.hash)).join(''));
        expect(many.size).toBe(one.size);
        expect(hex(many.root())).toBe(hex(one.root()));
      }
      // A clone taken after a batch goes on like the frontier it was taken from.
      expect(hex(many.clone().appendBatch(leaves[0]!, 1).hashes)).toBe(hex(Buffer.concat(one.clone().append(leaves[0]!).map((node) => node.hash))));
    }
  });

  it('refuses fewer bytes than leaves', () => {
    expect(() => Frontier.empty().appendBatch(Buffer.alloc(31), 1)).toThrow(RangeError);
  });
});

describe('the Merkle tree (RFC 9162 §2.1)', () => {
  it('gives the Certificate Transparency roots for every size 0..8', () => {
    const { get, roots } = storedTree(CT_LEAVES);
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n += 1) {
      expect(hex(roots[n]!)).toBe(CT_ROOTS[n]);
      expect(hex(treeRoot(n, get))).toBe(CT_ROOTS[n]);
      expect(hex(mth(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
    }
  });

  it('gives the Certificate Transparency inclusion and consistency proofs, and the client verifies them', async () => {
    const { get } = storedTree(CT_LEAVES);
    for (const v of CT_INCLUSION) {
      expect(inclusionProof(v.index, v.size, get).map(hex)).toEqual(v.proof);
      expect(await verifyInclusion({ leafHash: refLeaf(CT_LEAVES[v.index]!), leafIndex: v.index, treeSize: v.size, hashes: v.proof.map(unhex), rootHash: unhex(CT_ROOTS[v.size]!) })).toBe(true);
    }
    for (const v of CT_CONSISTENCY) {
      expect(consistencyProof(v.from, v.to, get).map(hex)).toEqual(v.proof);
      expect(await verifyConsistency({ fromSize: v.from, toSize: v.to, fromRoot: unhex(CT_ROOTS[v.from]!), toRoot: unhex(CT_ROOTS[v.to]!), hashes: v.proof.map(unhex) })).toBe(true);
    }
  });

  it('agrees with the RFC definitions for every tree up to 40 leaves, and the client accepts exactly the right proofs', async () => {
    const data = Array.from({ length: 40 }, (_, i) => new Uint8Array([i, (i * 7) & 0xff, 0x42]));
    const { get, roots } = storedTree(data);
    for (let n = 1; n <= data.length; n += 1) {
      const root = mth(data.slice(0, n));
      expect(hex(roots[n]!)).toBe(hex(root));
      for (let m = 0; m < n; m += 1) {
        const proof = inclusionProof(m, n, get);
        expect(proof.map(hex)).toEqual(refPath(m, data.slice(0, n)).map(hex));
        const args = { leafHash: refLeaf(data[m]!), leafIndex: m, treeSize: n, hashes: proof, rootHash: root };
        expect(await verifyInclusion(args)).toBe(true);
        expect(await verifyInclusion({ ...args, leafIndex: (m + 1) % n })).toBe(n === 1);
        if (proof.length > 0) {
          const flipped = proof.map((h) => new Uint8Array(h));
          flipped[0]![0]! ^= 1;
          expect(await verifyInclusion({ ...args, hashes: flipped })).toBe(false);
          expect(await verifyInclusion({ ...args, hashes: proof.slice(1) })).toBe(false);
        }
        // Another tree's root (the proof's size is bound by the signed checkpoint, not by the path).
        if (n > 1) expect(await verifyInclusion({ ...args, rootHash: roots[n - 1]! })).toBe(false);
      }
      for (let m = 0; m <= n; m += 1) {
        const proof = consistencyProof(m, n, get);
        expect(proof.map(hex)).toEqual(m === 0 || m === n ? [] : refSubproof(m, data.slice(0, n), true).map(hex));
        const args = { fromSize: m, toSize: n, fromRoot: roots[m]!, toRoot: root, hashes: proof };
        expect(await verifyConsistency(args)).toBe(true);
        if (m > 0 && m < n) {
          expect(await verifyConsistency({ ...args, fromRoot: roots[m - 1]! })).toBe(false);
          expect(await verifyConsistency({ ...args, hashes: proof.slice(0, -1) })).toBe(false);
          expect(await verifyConsistency({ ...args, toRoot: roots[n - 1]! })).toBe(false);
        }
      }
    }
  });
});

describe('signed notes and checkpoints (C2SP signed-note, tlog-checkpoint)', () => {
  // golang.org/x/mod/sumdb/note's example key pair and signed note.
  const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it("reads Go's keys and signs its note byte for byte; the key id is the spec's", () => {
    const signer = parseSignerKey(SKEY);
    expect(signer.verifierKey).toBe(VKEY);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(noteKeyId('PeterNeumann', signer.publicKey)).toBe(0xc74f20a3);
    expect(signer.sign(TEXT)).toBe(NOTE);
    expect(openNote(NOTE, parseVerifierKey(VKEY))).toEqual({ text: TEXT, verified: true });
    expect(openNote(NOTE.replace('answer', 'amswer'), parseVerifierKey(VKEY)).verified).toBe(false);
    expect(() => parseSignerKey(SKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match/);
  });

  it('the client verifies a checkpoint with the verifier key, and nothing else', async () => {
    const signer = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
    const root = serverLeafHash(new Uint8Array([1, 2, 3]));
    const note = signer.sign(checkpointText(signer.name, 1, root));
    expect(note.split('\n').slice(0, 3)).toEqual([signer.name, '1', Buffer.from(root).toString('base64')]);
    const verified = await verifyCheckpoint(note, signer.verifierKey);
    expect(verified).toMatchObject({ origin: signer.name, treeSize: 1 });
    expect(hex(verified.rootHash)).toBe(hex(root));
    await expect(verifyCheckpoint(note.replace('\n1\n', '\n2\n'), signer.verifierKey)).rejects.toThrow(CheckpointError);
    const other = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
    await expect(verifyCheckpoint(note, other.verifierKey)).rejects.toThrow(/no signature/);
    // A second signature by an unknown key is ignored (signed-note).
    const cosigned = note + '\u2014 witness.example/w1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    expect((await verifyCheckpoint(cosigned, signer.verifierKey)).treeSize).toBe(1);
  });

  it('with several trusted keys (a rotation), a checkpoint signed by any of them verifies, a bad signature of one of them fails, and the server side agrees', async () => {
    const previous = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
    const current = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
    const stranger = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
    const trusted = [current.verifierKey, previous.verifierKey];
    const text = checkpointText(previous.name, 3, serverLeafHash(new Uint8Array([9])));
    const old = previous.sign(text);
    const hex8 = (id: number) => id.toString(16).padStart(8, '0');
    expect(await verifyCheckpoint(old, trusted)).toMatchObject({ treeSize: 3, keyId: hex8(previous.keyId) });
    expect(await verifyCheckpoint(current.sign(text), trusted)).toMatchObject({ treeSize: 3, keyId: hex8(current.keyId) });
    await expect(verifyCheckpoint(old, [current.verifierKey])).rejects.toThrow(/no signature/);
    await expect(verifyCheckpoint(stranger.sign(text), trusted)).rejects.toThrow(/no signature of city-data-gateway.test\/access-log \(2 trusted keys\)/);
    await expect(verifyCheckpoint(old, [])).rejects.toThrow(CheckpointError);
    // The previous key's signature, but over other text: forged, whatever else is on the note.
    const forged = old.replace('\n3\n', '\n4\n');
    await expect(verifyCheckpoint(forged, trusted)).rejects.toThrow(/does not verify/);
    const keys = [parseVerifierKey(current.verifierKey), parseVerifierKey(previous.verifierKey)];
    expect(openNoteWithKeys(old, keys)).toMatchObject({ verified: true, key: { keyId: previous.keyId } });
    expect(openNoteWithKeys(old, keys.slice(0, 1)).verified).toBe(false);
    expect(openNoteWithKeys(forged, keys).verified).toBe(false);
    // Signed by both: one bad signature of a trusted key makes the note unverified.
    const both = `${current.sign(text)}${previous.sign(text.replace('\n3\n', '\n4\n')).split('\n\n')[1]!}`;
    expect(openNoteWithKeys(both, keys).verified).toBe(false);
  });
});

describe('salted commitments', () => {
  const entry: CommittedEntry = {
    occurred_at: new Date('2026-11-02T03:04:05.678Z'),
    request_id: 'req-1',
    actor_subject: 'officer:stp-01',
    actor_role: 'officer',
    actor_agency: 'STP',
    client_app: 'one-stop-desk',
    operation_name: 'CitizenProfile',
    document_hash: 'a'.repeat(64),
    purpose: 'DOSSIER_PROCESSING',
    case_reference: 'H17.25-1',
    subject_type: 'CITIZEN',
    subject_id: '42',
    fields: ['birthDate', 'nationalId'],
    outcome: 'GRANTED',
    found_by: ['nationalId'],
  };

  it('the client recomputes the leaf from the salt and canonical form; the canonical form hides the reader', async () => {
    const c = commitEntry(entry);
    expect(hex(await leafHashOf(toBase64(c.salt), c.canonical))).toBe(hex(c.leafHash));
    expect(c.canonical).not.toContain('officer:stp-01');
    expect(c.canonical).not.toContain('H17.25-1');
    const canonical = parseCanonicalForm(c.canonical);
    expect(canonical).toMatchObject({ actorRole: 'officer', actorAgency: 'STP', purpose: 'DOSSIER_PROCESSING', subjectId: '42', fields: ['birthDate', 'nationalId'], outcome: 'GRANTED', foundBy: ['nationalId'], occurredAt: '2026-11-02T03:04:05.678Z' });
    expect(JSON.parse(c.canonical)).toEqual(['access-log/v3', '2026-11-02T03:04:05.678Z', 'officer', 'STP', 'DOSSIER_PROCESSING', 'CITIZEN', '42', ['birthDate', 'nationalId'], 'GRANTED', ['nationalId'], canonical.restrictedCommitment]);
    const restricted = JSON.stringify(['access-log/v2/restricted', 'req-1', 'officer:stp-01', 'one-stop-desk', 'CitizenProfile', 'a'.repeat(64), 'H17.25-1']);
    expect(await restrictedCommitmentOf(toBase64(c.restrictedSalt), restricted)).toBe(canonical.restrictedCommitment);
    // Another salt, another leaf: the leaf reveals nothing without it.
    expect(hex(commitEntry(entry).leafHash)).not.toBe(hex(c.leafHash));
    expect(hex(commitEntry(entry, { salt: c.salt, restrictedSalt: c.restrictedSalt }).leafHash)).toBe(hex(c.leafHash));
  });

  it('verifyEntry checks the checkpoint, the leaf, what is shown and the inclusion', async () => {
    const signer = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log'));
    const entries = Array.from({ length: 5 }, (_, i) => commitEntry({ ...entry, subject_id: String(40 + i) }));
    const nodes = new Map<string, Uint8Array>();
    const frontier = Frontier.empty();
    for (const c of entries) {
      nodes.set(`0:${frontier.size}`, c.leafHash);
      for (const node of frontier.append(c.leafHash)) nodes.set(`${node.level}:${node.index}`, node.hash);
    }
    const get: NodeGetter = (l, i) => nodes.get(`${l}:${i}`)!;
    const note = signer.sign(checkpointText(signer.name, 5, frontier.root()));
    const shown = (i: number) => ({
      shown: { actorRole: 'officer', actorAgency: 'STP', purpose: 'DOSSIER_PROCESSING', fields: ['birthDate', 'nationalId'], occurredAt: '2026-11-02T10:04:05.678+07:00' },
      commitment: { salt: toBase64(entries[i]!.salt), canonicalForm: entries[i]!.canonical },
      inclusionProof: { leafIndex: i, treeSize: 5, leafHash: toBase64(entries[i]!.leafHash), hashes: inclusionProof(i, 5, get).map(toBase64), checkpoint: { note } },
    });
    expect(await verifyEntry(shown(3), signer.verifierKey)).toMatchObject({ verified: true, leafIndex: 3, checkpoint: { treeSize: 5 } });
    expect(await verifyEntry({ ...shown(3), shown: { actorAgency: 'SKHDT' } }, signer.verifierKey)).toMatchObject({ verified: false, reason: expect.stringContaining('actorAgency') });
    expect(await verifyEntry({ ...shown(3), inclusionProof: { ...shown(3).inclusionProof, leafIndex: 2 } }, signer.verifierKey)).toMatchObject({ verified: false });
    expect(await verifyEntry({ ...shown(3), commitment: shown(2).commitment }, signer.verifierKey)).toMatchObject({ verified: false, reason: expect.stringContaining('recompute') });
    // How the person was found is committed too: shown otherwise, the entry does not verify.
    expect(await verifyEntry({ ...shown(3), shown: { foundBy: ['nationalId'] } }, signer.verifierKey)).toMatchObject({ verified: true });
    expect(await verifyEntry({ ...shown(3), shown: { foundBy: [] } }, signer.verifierKey)).toMatchObject({ verified: false, reason: expect.stringContaining('foundBy') });
  });

  it('an entry written before found-by lists (found_by null) keeps its v2 form, and a reader still recomputes and reads it', async () => {
    const v2 = commitEntry({ ...entry, outcome: 'FOUND_BY', fields: ['nationalId'], found_by: null });
    const form = JSON.parse(v2.canonical) as unknown[];
    expect(form).toHaveLength(10);
    expect(form.slice(0, 9)).toEqual(['access-log/v2', '2026-11-02T03:04:05.678Z', 'officer', 'STP', 'DOSSIER_PROCESSING', 'CITIZEN', '42', ['nationalId'], 'FOUND_BY']);
    expect(hex(await leafHashOf(toBase64(v2.salt), v2.canonical))).toBe(hex(v2.leafHash));
    // Its found-by fields are its fields, as v2 wrote them; a v2 read has none.
    expect(parseCanonicalForm(v2.canonical)).toMatchObject({ outcome: 'FOUND_BY', fields: ['nationalId'], foundBy: ['nationalId'] });
    expect(parseCanonicalForm(commitEntry({ ...entry, found_by: null }).canonical)).toMatchObject({ outcome: 'GRANTED', foundBy: [] });
    // Absent (a row read before the column existed, as migration 0003 read them) is v2 too.
    const { found_by: _omitted, ...before } = entry;
    expect(JSON.parse(commitEntry(before, { salt: v2.salt, restrictedSalt: v2.restrictedSalt }).canonical)[0]).toBe('access-log/v2');
    expect(() => parseCanonicalForm(JSON.stringify(['access-log/v4', ...form.slice(1)]))).toThrow(/canonical form/);
    // A tag and a length that do not go together are neither form.
    expect(() => parseCanonicalForm(JSON.stringify(['access-log/v3', ...form.slice(1)]))).toThrow(/canonical form/);
    expect(() => parseCanonicalForm(JSON.stringify([...form.slice(0, 9), [], ...form.slice(9)]))).toThrow(/canonical form/);
    // The restricted commitment is the last element in both forms.
    const v3 = commitEntry(entry);
    expect(parseCanonicalForm(v3.canonical).restrictedCommitment).toBe((JSON.parse(v3.canonical) as unknown[])[10]);
    expect(parseCanonicalForm(v2.canonical).restrictedCommitment).toBe(form[9]);
  });
});
