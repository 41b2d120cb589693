import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWitness, type Witness } from '../../../src/modules/audit/db/witness.js';
import { createTestDatabases, TEST_BACKEND, type TestDatabases } from '../../support/databases.js';

/** The witness keeps each checkpoint once, refuses another one of the same size, and lists them in order. */
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function witnesses(): Promise<Array<[string, Witness]>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gateway-witness-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const out: Array<[string, Witness]> = [['folder', openWitness(dir)]];
  if (TEST_BACKEND === 'postgres') {
    const databases: TestDatabases = await createTestDatabases();
    cleanups.push(() => databases.drop());
    out.push(['postgres', openWitness(databases.env.AUDIT_DATABASE_URL!)]);
  }
  return out;
}

describe('the access-log witness', () => {
  it('is write-once: the same checkpoint is kept, another of the same size is a contradiction', async () => {
    for (const [kind, witness] of await witnesses()) {
      try {
        expect(await witness.latestSize(), kind).toBe(-1);
        expect(await witness.write({ treeSize: 12, note: 'log\n12\nAAA=\n\n— log sig\n' }), kind).toBe('written');
        expect(await witness.write({ treeSize: 3, note: 'log\n3\nBBB=\n\n— log sig\n' }), kind).toBe('written');
        expect(await witness.write({ treeSize: 12, note: 'log\n12\nAAA=\n\n— log sig\n' }), kind).toBe('kept');
        expect(await witness.write({ treeSize: 12, note: 'log\n12\nCCC=\n\n— log sig\n' }), kind).toBe('contradicted');
        expect(await witness.latestSize(), kind).toBe(12);
        expect((await witness.list()).map((c) => [c.treeSize, c.note.split('\n')[2]]), kind).toEqual([[3, 'BBB='], [12, 'AAA=']]);
      } finally {
        await witness.close();
      }
    }
  });
});
