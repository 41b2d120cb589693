import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../support/as.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';

/**
 * `extensions.sqlStatements` counts what a response cost, on the request's context (no
 * AsyncLocalStorage): the statements of its repositories and loaders, and the access log's write
 * of its entries (one statement, the batch's insert, in every request whose entries it stored).
 */
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const CITIZENS = '{ citizens(first: 3) { edges { node { fullName } } } }';

function sumOf(res: GraphQLResponse): number {
  return Object.values(res.extensions!.sqlStatements!.bySource).reduce((a, b) => a + b, 0);
}

describe('statements per response', () => {
  it('count the access log write of a response that read personal data', async () => {
    const res = await gw.query(CITIZENS, {}, await as('admin', { auth: gw.databases.config.auth }));
    expect(res.errors).toBeUndefined();
    const { total, bySource } = res.extensions!.sqlStatements!;
    expect(bySource.audit).toBe(1);
    expect(bySource.population).toBe(1);
    expect(total).toBe(sumOf(res));
  });

  it('count no access log statement where nothing personal was read', async () => {
    const res = await gw.query('{ agencies(first: 3) { edges { node { code } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.extensions!.sqlStatements!.bySource).toEqual({ reference: 1 });
    expect(res.extensions!.sqlStatements!.total).toBe(1);
  });

  it('count each request on its own, also when requests run at once and share an access log batch', async () => {
    const headers = await as('admin', { auth: gw.databases.config.auth });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? gw.query(CITIZENS, {}, headers) : gw.query('{ agencies(first: 2) { edges { node { code } } } }'))));
    for (const [i, res] of answers.entries()) {
      expect(res.errors).toBeUndefined();
      expect(res.extensions!.sqlStatements!.bySource, String(i)).toEqual(i % 2 ? { population: 1, audit: 1 } : { reference: 1 });
    }
  });
});
