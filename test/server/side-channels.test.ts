/**
 * Side channels of issue 13: what a caller learns besides the data served.
 * - L6: a masked national id keeps nothing the caller is denied (province, century and gender,
 *   birth year): only the last 4 digits of the random serial.
 * - L7: on every Node type, an object hidden from the caller costs the same SQL statements, per
 *   source, as a missing one (development responses count them in extensions.sqlStatements).
 * - L9: a pagination cursor works only for the caller it was issued to; another caller's cursor
 *   is BAD_USER_INPUT, like a forged one. Anonymous callers share one binding.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mask } from '../../src/access/policy.js';
import { mintDevToken, type DevTokenRequest } from '../../src/auth/tokens.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import { NODE_TYPES } from '../../src/modules/schema.js';
import type { SourceName } from '../../src/modules/index.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';
import { nodeSamples, type NodeTypeSamples } from '../support/samples/index.js';

let gw: TestGateway;
const OFFICER_AGENCY = 'UBND-HC';

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => gw?.close());

async function headers(request: DevTokenRequest, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, request)}`, ...extra };
}

async function rows<T>(source: SourceName, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(gw.databases.connections.sources[source].root)).rows;
}

describe('L6: masks reveal nothing the caller is denied', () => {
  it('a national id keeps only the last 4 digits of its serial', () => {
    expect(mask('NATIONAL_ID', '048012345612')).toBe('********5612');
    // Another province, century and gender digit and birth year, the same serial: the same mask.
    expect(mask('NATIONAL_ID', '001398345612')).toBe(mask('NATIONAL_ID', '048012345612'));
  });

  it('anything else is one fixed mask, whatever its length', () => {
    expect(mask('PHONE', '0905123456')).toBe('********');
    expect(mask('EMAIL', 'quang.nguyen87@gmail.com')).toBe(mask('EMAIL', 'a@b.vn'));
    expect(mask('NATIONAL_ID', '12345')).toBe('********');
  });

  it('an analyst reads a masked national id: no province, century, gender or birth-year digit', async () => {
    const [row] = await rows<{ code: string; representative: number }>('business', sql`select code, legal_representative_id as representative from business.businesses order by id limit 1`);
    const [citizen] = await rows<{ national_id: string }>('population', sql`select national_id from population.citizens where id = ${row!.representative}`);
    const res = await gw.query<{ business: { legalRepresentative: { nationalId: string | null } } }>(
      'query($code: String!) { business(code: $code) { legalRepresentative { nationalId } } }',
      { code: row!.code },
      await headers({ role: 'analyst' }),
    );
    expect(res.errors).toBeUndefined();
    const value = res.data!.business.legalRepresentative.nationalId!;
    expect(value).toBe(`********${citizen!.national_id.slice(-4)}`);
    expect(value).not.toMatch(/^\d/);
  });
});

describe('L7: hidden and missing cost the same on every node type', () => {
  /**
   * Row ids of each type to try, the likeliest hidden first, and whether every object of the type
   * is public (nothing to hide, so nothing to tell apart): declared by each source in
   * test/modules/<source>/samples.ts.
   */
  let CANDIDATES: Map<string, NodeTypeSamples & { source: SourceName }>;
  beforeAll(async () => {
    CANDIDATES = await nodeSamples();
  });

  const NODE = 'query($id: ID!) { node(id: $id) { __typename id } }';

  it('every node type has its candidates (a new type must be classified in its source’s samples)', () => {
    expect([...CANDIDATES.keys()].sort()).toEqual([...NODE_TYPES.keys()].sort());
    // Types of every kind are among them: public ones, and scoped ones to hide.
    expect([...CANDIDATES.values()].filter((c) => c.public).length).toBeGreaterThan(0);
    expect([...CANDIDATES.values()].filter((c) => !c.public).length).toBeGreaterThanOrEqual(5);
  });

  const callers: Array<[string, () => Promise<Record<string, string>>]> = [
    ['the public', async () => ({})],
    ['an officer', () => headers({ role: 'officer', agency: OFFICER_AGENCY })],
    ['a citizen', async () => {
      const [self] = await rows<{ national_id: string }>('population', sql`select national_id from population.citizens order by id desc limit 1`);
      return headers({ role: 'citizen', citizenId: self!.national_id });
    }],
  ];

  it.each(callers)('for %s: a hidden object costs what a missing one does, statement by statement and source by source', async (_name, headersOf) => {
    const caller = await headersOf();
    // The officer's agency is read by code from the process's cache (a minute, reference/loaders.ts):
    // the first request that resolves the principal pays for it, whatever it asks. One such request
    // first (a citizen that exists nowhere), so that what is compared below is only the object's
    // cost; the cache says nothing about any object.
    await gw.query(NODE, { id: toGlobalId('Citizen', 2_000_000_000) }, caller);
    let hiddenTypes = 0;
    for (const [type, { source, candidates, public: everyonePublic }] of CANDIDATES) {
      const ids = (await rows(source, candidates)).map((r) => r.id);
      expect(ids.length, type).toBeGreaterThan(0);
      const missing = toGlobalId(type, Math.max(...ids) + 1_000_000);
      const missingAnswer = await gw.query(NODE, { id: missing }, caller);
      expect(missingAnswer.errors, type).toBeUndefined();
      expect(missingAnswer.data, type).toEqual({ node: null });
      let hidden: GraphQLResponse | undefined;
      for (const id of ids) {
        const answer = await gw.query<{ node: unknown }>(NODE, { id: toGlobalId(type, id) }, caller);
        expect(answer.errors, type).toBeUndefined();
        if (answer.data!.node === null) {
          hidden = answer;
          break;
        }
      }
      if (everyonePublic) {
        expect(hidden, `${type} is public: nothing is hidden`).toBeUndefined();
        continue;
      }
      if (!hidden) continue;
      hiddenTypes += 1;
      expect(hidden.extensions?.sqlStatements, `${type}: hidden vs missing`).toEqual(missingAnswer.extensions?.sqlStatements);
    }
    // The public and an officer of one agency cannot see everything of any scoped type.
    expect(hiddenTypes).toBeGreaterThanOrEqual(5);
  });

  it('a hidden resource or observation next to its hidden parent costs what a missing one does (no cached parent tells)', async () => {
    const cases: Array<[string, string, ReturnType<typeof sql<{ child: number; parent: number }>>, SourceName]> = [
      ['Dataset', 'DatasetResource', sql`select r.id as child, d.id as parent from opendata.dataset_resources r join opendata.datasets d on d.id = r.dataset_id where d.access_level = 'RESTRICTED' order by r.id limit 1`, 'opendata'],
      ['Indicator', 'Observation', sql`select o.id as child, i.id as parent from ioc.observations o join ioc.indicators i on i.id = o.indicator_id where i.visibility = 'INTERNAL' order by o.id limit 1`, 'ioc'],
    ];
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';
    for (const [parentType, childType, pick, source] of cases) {
      const [row] = await rows(source, pick);
      expect(row, `a ${childType} of a hidden ${parentType} is in the seed`).toBeDefined();
      const hidden = await gw.query(query, { ids: [toGlobalId(parentType, row!.parent), toGlobalId(childType, row!.child)] });
      const missing = await gw.query(query, { ids: [toGlobalId(parentType, row!.parent), toGlobalId(childType, row!.child + 10_000_000)] });
      expect(hidden.data).toEqual({ nodes: [null, null] });
      expect(missing.data).toEqual({ nodes: [null, null] });
      expect(hidden.extensions?.sqlStatements, childType).toEqual(missing.extensions?.sqlStatements);
      // And alone, without the parent beside it.
      const alone = await gw.query(NODE, { id: toGlobalId(childType, row!.child) });
      const aloneMissing = await gw.query(NODE, { id: toGlobalId(childType, row!.child + 10_000_000) });
      expect(alone.extensions?.sqlStatements, childType).toEqual(aloneMissing.extensions?.sqlStatements);
      expect(alone.extensions?.sqlStatements?.bySource[source], childType).toBe(1);
    }
  });
});

describe('L9: cursors are bound to the caller', () => {
  type Page = { edges: Array<{ cursor: string; node: { id: string } }> };
  const DOSSIERS = 'query($after: String) { dossiers(first: 2, after: $after) { edges { cursor node { id } } } }';
  const DATASETS = 'query($after: String) { datasets(first: 2, after: $after) { edges { cursor node { id } } } }';

  async function page(query: string, caller: Record<string, string>, after?: string): Promise<GraphQLResponse<Record<string, Page>>> {
    return gw.query<Record<string, Page>>(query, after ? { after } : {}, caller);
  }

  function lastCursor(res: GraphQLResponse<Record<string, Page>>): string {
    expect(res.errors).toBeUndefined();
    const edges = Object.values(res.data!)[0]!.edges;
    expect(edges.length).toBeGreaterThan(0);
    return edges[edges.length - 1]!.cursor;
  }

  function expectInvalidCursor(res: GraphQLResponse): void {
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'Invalid cursor']]);
    expect(Object.values(res.data ?? {}).every((value) => value === null)).toBe(true);
  }

  it("an officer's list refuses an admin's cursor, and takes its own", async () => {
    const admin = await headers({ role: 'admin' });
    const officer = await headers({ role: 'officer', agency: OFFICER_AGENCY });
    expectInvalidCursor(await page(DOSSIERS, officer, lastCursor(await page(DOSSIERS, admin))));
    const own = await page(DOSSIERS, officer);
    const next = await page(DOSSIERS, officer, lastCursor(own));
    expect(next.errors).toBeUndefined();
    expect(next.data!.dossiers!.edges.map((e) => e.node.id)).not.toContain(own.data!.dossiers!.edges[0]!.node.id);
  });

  it("a birth-date cursor of one admin is refused to another admin (the reproduction's ordering)", async () => {
    const query = 'query($after: String) { citizens(first: 2, after: $after, orderBy: BIRTH_DATE) { edges { cursor node { id } } } }';
    const purpose = { 'x-purpose': 'LEGAL_OBLIGATION' };
    const first = await headers({ role: 'admin', subject: 'admin-one' }, purpose);
    const second = await headers({ role: 'admin', subject: 'admin-two' }, purpose);
    const cursor = lastCursor(await page(query, first));
    expectInvalidCursor(await page(query, second, cursor));
    // The same admin, in a later request (a fresh token too), pages on.
    const again = await page(query, await headers({ role: 'admin', subject: 'admin-one' }, purpose), cursor);
    expect(again.errors).toBeUndefined();
  });

  it('the same subject under another role is another caller', async () => {
    const cursor = lastCursor(await page(DATASETS, await headers({ role: 'admin', subject: 'same-person' })));
    expectInvalidCursor(await page(DATASETS, await headers({ role: 'analyst', subject: 'same-person' }), cursor));
  });

  it('anonymous callers share one binding, and it is not a signed-in caller’s', async () => {
    const anonymous = lastCursor(await page(DATASETS, {}));
    expect((await page(DATASETS, {}, anonymous)).errors).toBeUndefined();
    const officer = await headers({ role: 'officer', agency: OFFICER_AGENCY });
    expectInvalidCursor(await page(DATASETS, officer, anonymous));
    expectInvalidCursor(await page(DATASETS, {}, lastCursor(await page(DATASETS, officer))));
  });
});
