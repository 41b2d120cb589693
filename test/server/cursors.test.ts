import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { CursorCodec, PageArgumentError } from '../../src/platform/db/cursors.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';

/**
 * The cursor codec is built from configuration and lives on each request's context, bound to
 * its caller: nothing about cursors is held by the process, so two gateways with different
 * secrets in one process (a blue/green switch, tests) each read only their own cursors.
 */

const LIST = { name: 'agency:code', columns: ['code', 'id'] };

describe('CursorCodec', () => {
  const codec = CursorCodec.fromSecret('a cursor secret of at least 32 characters');

  it('reads back what it made, for the same caller and list', () => {
    const cursor = codec.boundTo('officer-1').encode(LIST, ['STTTT', 7]);
    expect(codec.boundTo('officer-1').decode(LIST, cursor)).toEqual(['STTTT', 7]);
    // Stable: the same row gives the same cursor.
    expect(codec.boundTo('officer-1').encode(LIST, ['STTTT', 7])).toBe(cursor);
  });

  it("refuses another key's, another caller's and another list's cursors alike", () => {
    const cursor = codec.boundTo('officer-1').encode(LIST, ['STTTT', 7]);
    expect(() => CursorCodec.fromSecret('another secret, also 32 characters long').boundTo('officer-1').decode(LIST, cursor)).toThrow(PageArgumentError);
    expect(() => codec.boundTo('officer-2').decode(LIST, cursor)).toThrow(/Invalid cursor/);
    expect(() => codec.decode(LIST, cursor)).toThrow(/Invalid cursor/);
    expect(() => codec.boundTo('officer-1').decode({ name: 'agency:name.vi', columns: ['name_sort', 'id'] }, cursor)).toThrow(/another list or ordering/);
  });

  it('pages with itself: page(args) carries the codec', () => {
    const page = codec.page({ first: 3, after: null });
    expect(page).toEqual({ first: 3, after: null, cursors: codec });
  });
});

describe('two gateways in one process', () => {
  const SECRET_A = 'gateway A cursor secret, 32 characters or more';
  const SECRET_B = 'gateway B cursor secret, 32 characters or more';
  let databases: SeededDatabases;
  let a: RunningGateway;
  let b: RunningGateway;
  let a2: RunningGateway;

  beforeAll(async () => {
    databases = await seededDatabases('tiny');
    const start = (secret: string) => startGateway(loadConfig({ ...databases.env, CURSOR_SECRET: secret }), { port: 0, connections: databases.connections });
    a = await start(SECRET_A);
    b = await start(SECRET_B);
    // A replica of A: the same secret, so the same cursors.
    a2 = await start(SECRET_A);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), a2?.close()]);
    await databases?.close();
  });

  interface AgencyPage {
    agencies: { edges: Array<{ node: { code: string } }>; pageInfo: { endCursor: string | null } } | null;
  }
  async function agencies(gateway: RunningGateway, after: string | null, headers: Record<string, string> = {}) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        query: 'query($after: String) { agencies(first: 3, after: $after, orderBy: CODE) { edges { node { code } } pageInfo { endCursor } } }',
        variables: { after },
      }),
    });
    return (await response.json()) as { data?: AgencyPage; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  }

  it("refuse each other's cursors, while a gateway with the same secret reads them", async () => {
    const first = await agencies(a, null);
    expect(first.errors).toBeUndefined();
    const cursor = first.data!.agencies!.pageInfo.endCursor!;
    const next = await agencies(a, cursor);
    expect(next.errors).toBeUndefined();
    expect(next.data!.agencies!.edges).toHaveLength(3);

    const refused = await agencies(b, cursor);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/Invalid cursor/);

    expect((await agencies(a2, cursor)).data).toEqual(next.data);

    // And the other way: B's cursors are B's only.
    const fromB = (await agencies(b, null)).data!.agencies!.pageInfo.endCursor!;
    expect(fromB).not.toBe(cursor);
    expect((await agencies(b, fromB)).errors).toBeUndefined();
    expect((await agencies(a, fromB)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("bind each cursor to its caller on every gateway", async () => {
    const officer = { authorization: `Bearer ${await mintDevToken(databases.config.auth, { role: 'officer', agency: 'STTTT' })}` };
    const mine = (await agencies(a, null, officer)).data!.agencies!.pageInfo.endCursor!;
    expect((await agencies(a, mine, officer)).errors).toBeUndefined();
    expect((await agencies(a2, mine, officer)).errors).toBeUndefined();
    expect((await agencies(a, mine)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('encode a cursor only where the document selects one (counted on the codec)', async () => {
    const encode = vi.spyOn(CursorCodec.prototype, 'encode');
    const encodings = async (selection: string): Promise<number> => {
      encode.mockClear();
      const response = await fetch(a.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ agencies(first: 5, orderBy: CODE) { ${selection} } }` }),
      });
      const body = (await response.json()) as { data?: { agencies: { edges: unknown[] } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data?.agencies.edges).toHaveLength(5);
      return encode.mock.calls.length;
    };
    try {
      expect(await encodings('edges { node { code } }')).toBe(0);
      expect(await encodings('edges { node { code } } pageInfo { hasNextPage endCursor }')).toBe(1);
      expect(await encodings('edges { node { code } } pageInfo { startCursor endCursor }')).toBe(2);
      // Each edge's cursor once, however often it is read (pageInfo's cursors are its edges' cursors).
      expect(await encodings('edges { cursor again: cursor node { code } } pageInfo { startCursor endCursor }')).toBe(5);
    } finally {
      encode.mockRestore();
    }
  });
});
