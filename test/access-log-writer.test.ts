import { describe, expect, it } from 'vitest';
import { AccessLogWriter } from '../src/audit/access-log.writer.js';
import type { AccessLogEntry } from '../src/sources/audit/index.js';

const entry = (requestId: string): AccessLogEntry => ({
  requestId,
  actorSubject: 'officer-1',
  actorRole: 'officer',
  subjectType: 'CITIZEN',
  subjectId: '1',
  fields: ['phone'],
  outcome: 'GRANTED',
});

describe('group commit of access-log entries', () => {
  it('writes entries that arrive during a write together, in arrival order, and settles each caller', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const writer = new AccessLogWriter(async (entries) => {
      batches.push(entries.map((e) => e.requestId));
      if (batches.length === 1) await firstWrite;
    });
    const first = writer.write([entry('a')]);
    const rest = [writer.write([entry('b')]), writer.write([entry('c'), entry('d')])];
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('fails every caller of a failed write, and writes again afterwards', async () => {
    let fail = true;
    const written: string[] = [];
    const writer = new AccessLogWriter(async (entries) => {
      if (fail) throw new Error('audit store unwritable');
      written.push(...entries.map((e) => e.requestId));
    });
    const results = await Promise.allSettled([writer.write([entry('a')]), writer.write([entry('b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await writer.write([entry('c')]);
    expect(written).toEqual(['c']);
  });

  it('caps a batch, so one transaction stays small', async () => {
    const sizes: number[] = [];
    const writer = new AccessLogWriter(async (entries) => {
      sizes.push(entries.length);
    }, 3);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => writer.write([entry(id)])));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });
});
