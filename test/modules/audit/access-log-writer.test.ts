import { describe, expect, it } from 'vitest';
import { AccessLogTimeoutError, AccessLogWriter } from '../../../src/server/plugins/access-log/writer.js';
import type { AccessLogEntry } from '../../../src/modules/audit/db/index.js';

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
    }, { maxBatch: 3 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => writer.write([entry(id)])));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });

  it('fails a caller whose entries are not confirmed in time, and drops them if they were never sent', async () => {
    const sent: string[][] = [];
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    // The first batch hangs (a locked log); patience longer than the timeout keeps 'b' queued.
    const writer = new AccessLogWriter(
      async (entries) => {
        sent.push(entries.map((e) => e.requestId));
        if (sent.length === 1) await hung;
      },
      { timeoutMs: 50, patienceMs: 10_000 },
    );
    const results = await Promise.allSettled([writer.write([entry('a')]), writer.write([entry('b')])]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).constructor.name : r.status))).toEqual(['AccessLogTimeoutError', 'AccessLogTimeoutError']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(AccessLogTimeoutError);
    release();
    await writer.idle();
    // 'b' timed out in the queue: it was never written (its response withheld the data).
    expect(sent).toEqual([['a']]);
  });

  it('a hanging batch holds the next one back for `patienceMs` only, not until it fails', async () => {
    const sent: string[][] = [];
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const writer = new AccessLogWriter(
      async (entries) => {
        sent.push(entries.map((e) => e.requestId));
        if (sent.length === 1) await hung;
      },
      { timeoutMs: 5_000, patienceMs: 20 },
    );
    const first = writer.write([entry('a')]);
    // 'b' and 'c' are written beside the hung batch, together, and confirmed while it still hangs.
    await Promise.all([writer.write([entry('b')]), writer.write([entry('c')])]);
    expect(sent).toEqual([['a'], ['b', 'c']]);
    release();
    await first;
  });

  it('caps the batches in flight beside a hanging one', async () => {
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const writer = new AccessLogWriter(
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      },
      { timeoutMs: 200, patienceMs: 5, maxConcurrent: 2 },
    );
    const writes = ['a', 'b', 'c', 'd'].map((id, i) => new Promise((resolve) => setTimeout(resolve, i * 20)).then(() => writer.write([entry(id)])));
    const results = await Promise.allSettled(writes);
    expect(most).toBe(2);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const release of releases) release();
    await writer.idle();
  });
});
