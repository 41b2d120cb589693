import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../src/auth/tokens.js';
import { SOURCE_NAMES } from '../../src/modules/index.js';
import { TEST_BACKEND } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** /healthz, and /metrics: the named metrics exist and move when requests are served. */

let gw: TestGateway;
let base: string;
let admin: Record<string, string>;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format → samples. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(): Promise<{ text: string; samples: Sample[]; contentType: string | null }> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parse(text), contentType: response.headers.get('content-type') };
}

/** Sum of the samples of `name` whose labels include `labels`. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

const PEOPLE = `query ObservedPeople { citizens(first: 5) { edges { node { fullName nationalId ward { name district { name } } } } } }`;

beforeAll(async () => {
  gw = await startTestGateway();
  base = gw.url.replace(/\/graphql$/, '');
  admin = { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' };
});
afterAll(async () => gw?.close());

describe('health', () => {
  it('/healthz answers 200 without touching the sources', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 and names every source up', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; sources: Record<string, { status: string }> };
    expect(body.status).toBe('ready');
    expect(Object.keys(body.sources).sort()).toEqual([...SOURCE_NAMES].sort());
  });
});

describe('/metrics', () => {
  it('declares the named metrics in the Prometheus text format', async () => {
    const { text, contentType } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'gateway_requests_total',
      'gateway_request_duration_seconds',
      'gateway_errors_total',
      'gateway_sql_statements_total',
      'gateway_sql_duration_seconds',
      'gateway_dataloader_batch_size',
      'gateway_access_log_writes_total',
      'gateway_access_log_entries_total',
      'gateway_db_pool_connections',
      'gateway_process_resident_memory_bytes',
    ]) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
  });

  it('moves after requests: by operation, by error code, by source, batches and access-log writes', async () => {
    const before = (await scrape()).samples;
    for (let i = 0; i < 3; i += 1) {
      const res = await gw.query(PEOPLE, {}, admin);
      expect(res.errors).toBeUndefined();
    }
    const forbidden = await gw.query('query ObservedDenied { accessLog(first: 1) { totalCount } }');
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const invalid = await gw.query('query ObservedInvalid { datasets(after: "garbage") { totalCount } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = (await scrape()).samples;
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);

    expect(delta('gateway_requests_total', { operation: 'ObservedPeople', outcome: 'ok' })).toBe(3);
    expect(delta('gateway_requests_total', { operation: 'ObservedDenied', outcome: 'error' })).toBe(1);
    expect(delta('gateway_request_duration_seconds_count', { operation: 'ObservedPeople' })).toBe(3);
    expect(delta('gateway_request_duration_seconds_sum', { operation: 'ObservedPeople' })).toBeGreaterThan(0);
    expect(delta('gateway_request_duration_seconds_bucket', { operation: 'ObservedPeople', le: '+Inf' })).toBe(3);
    expect(delta('gateway_errors_total', { code: 'FORBIDDEN' })).toBeGreaterThanOrEqual(1);
    expect(delta('gateway_errors_total', { code: 'BAD_USER_INPUT' })).toBeGreaterThanOrEqual(1);
    // People come from population, their wards and districts from reference (batched), the log goes to audit.
    // Wards and districts are read once per process, then answered from its cache of reference rows
    // (src/modules/reference/loaders.ts): at least one reference statement, not one per request.
    for (const [source, least] of [['population', 3], ['reference', 1], ['audit', 3]] as const) {
      expect(delta('gateway_sql_statements_total', { source }), source).toBeGreaterThanOrEqual(least);
      expect(delta('gateway_sql_duration_seconds_count', { source }), source).toBe(delta('gateway_sql_statements_total', { source }));
    }
    expect(delta('gateway_sql_duration_seconds_sum', { source: 'population' })).toBeGreaterThan(0);
    expect(delta('gateway_dataloader_batch_size_count')).toBeGreaterThanOrEqual(3);
    expect(delta('gateway_dataloader_batch_size_sum')).toBeGreaterThanOrEqual(3);
    expect(delta('gateway_access_log_writes_total', { result: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(delta('gateway_access_log_writes_total', { result: 'failed' })).toBe(0);
    // Five people a request, one entry each: their fields read (GRANTED), found by the list's
    // default ordering on fullName (an ordering on a personal field, in the entry's found-by
    // list); the denied access-log read adds none.
    expect(delta('gateway_access_log_entries_total')).toBe(15);
  });

  it.runIf(TEST_BACKEND === 'postgres')('shows each source pool: total, idle and waiting connections', async () => {
    await gw.query(PEOPLE, {}, admin);
    const { samples } = await scrape();
    for (const source of SOURCE_NAMES) {
      for (const state of ['total', 'idle', 'waiting']) {
        expect(samples.some((s) => s.name === 'gateway_db_pool_connections' && s.labels.source === source && s.labels.state === state), `${source} ${state}`).toBe(true);
      }
    }
    expect(value(samples, 'gateway_db_pool_connections', { source: 'population', state: 'total' })).toBeGreaterThan(0);
    expect(value(samples, 'gateway_db_pool_connections', { source: 'population', state: 'waiting' })).toBe(0);
  });

  // prom-client's default metrics under the prefix "gateway_": process_resident_memory_bytes
  // becomes gateway_process_resident_memory_bytes.
  it('process metrics are there (memory, CPU, event loop)', async () => {
    const { samples } = await scrape();
    expect(value(samples, 'gateway_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(samples.some((s) => s.name === 'gateway_process_cpu_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name.startsWith('gateway_nodejs_eventloop_lag'))).toBe(true);
  });
});
