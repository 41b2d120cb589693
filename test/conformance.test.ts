import { auditServer, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * The GraphQL-over-HTTP conformance audit (graphql-http's auditServer) against the live server in
 * development mode. In production mode only the documents of the trusted-documents manifest run,
 * so the audit's own documents ({ __typename }) are refused there by design.
 */

let gw: TestGateway;
let results: AuditResult[];

const describeResult = (r: AuditResult) => `${r.id} ${r.name}${r.status === 'ok' ? '' : `: ${r.reason}`}`;

beforeAll(async () => {
  gw = await startTestGateway();
  results = await auditServer({ url: gw.url });
});
afterAll(async () => gw?.close());

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('ran the audit', () => {
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });

  it('passes every MUST', () => {
    const failed = results.filter((r) => r.status === 'error' || (r.name.startsWith('MUST') && r.status !== 'ok'));
    expect(failed.map(describeResult), `MUST requirements failed:\n${failed.map(describeResult).join('\n')}`).toEqual([]);
  });

  it('the server is still serving after the audit', async () => {
    const res = await gw.query('{ agencies(first: 1) { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });
});
