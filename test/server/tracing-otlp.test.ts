/**
 * Traces leave over OTLP/HTTP: a real receiver (node:http, POST /v1/traces, the exporter's JSON)
 * started here, the SDK pointed at it through OTEL_EXPORTER_OTLP_ENDPOINT (read by loadConfig like
 * every setting), and a gateway in this process. A request that carries a W3C traceparent comes
 * back as spans of the caller's trace, the request span a child of the caller's span; the JSON
 * log line of the request names the same trace.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTelemetry, tracesUrl, type Telemetry } from '../../src/platform/telemetry/sdk.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/server/logger.js';
import { seededDatabases, type SeededDatabases } from '../support/databases.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
}
interface OtlpRequest {
  resourceSpans: Array<{ resource?: { attributes?: OtlpSpan['attributes'] }; scopeSpans: Array<{ scope?: { name: string }; spans: OtlpSpan[] }> }>;
}

const received: Array<{ contentType: string | undefined; body: OtlpRequest }> = [];
let receiver: Server;
let endpoint: string;
let telemetry: Telemetry | undefined;
let databases: SeededDatabases;
let gateway: RunningGateway | undefined;
const logLines: Array<Record<string, unknown>> = [];

const attribute = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        received.push({ contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  databases = await seededDatabases('tiny');
  const config = loadConfig({ ...databases.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'gateway-under-test' });
  expect(config.telemetry).toEqual({ endpoint, serviceName: 'gateway-under-test' });
  // As src/cli/start.ts does: the SDK before the gateway.
  telemetry = startTelemetry(config.telemetry);
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  gateway = await startGateway(config, { port: 0, connections: databases.connections, logger: createLogger('info', lines) });
});

afterAll(async () => {
  await gateway?.close();
  gateway = undefined;
  await telemetry?.shutdown();
  await databases?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('OTLP/HTTP export', () => {
  it('builds the traces URL from the base endpoint', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be a http: or https:\/\/ URL/);
    expect(loadConfig({}).telemetry).toEqual({ endpoint: undefined, serviceName: 'city-data-gateway' });
  });

  it("sends the request's spans to the receiver, in the caller's trace, under the caller's span", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await fetch(gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: JSON.stringify({ query: 'query PublicDatasets { datasets(first: 3) { edges { node { title publisher { name } } } } }' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { datasets: { edges: unknown[] } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data!.datasets.edges).toHaveLength(3);

    // Shutting down flushes the batch processor: everything ended so far is sent now.
    await gateway!.close();
    gateway = undefined;
    await telemetry!.shutdown();
    telemetry = undefined;

    expect(received.length).toBeGreaterThan(0);
    // The HTTP exporter's JSON encoding, which this receiver parses.
    for (const request of received) expect(request.contentType).toMatch(/^application\/json/);
    const resource = received[0]!.body.resourceSpans[0]!.resource?.attributes?.find((a) => a.key === 'service.name')?.value;
    expect(resource).toEqual({ stringValue: 'gateway-under-test' });
    const spans = received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));
    const ours = spans.filter((s) => s.traceId === traceId);
    const request = ours.find((s) => s.parentSpanId === callerSpanId);
    expect(request, 'the request span is a child of the caller span').toBeDefined();
    expect(request!.name).toBe('query PublicDatasets');
    expect(request!.kind).toBe(2); // SPAN_KIND_SERVER
    expect(attribute(request!, 'graphql.operation.name')).toBe('PublicDatasets');
    expect(attribute(request!, 'enduser.role')).toBe('public');
    expect(attribute(request!, 'graphql.document.hash')).toMatch(/^[0-9a-f]{64}$/);
    // Every other span of the request descends from it, within the caller's trace.
    const byId = new Map(ours.map((s) => [s.spanId, s]));
    for (const span of ours) {
      if (span === request) continue;
      let up = span;
      while (up.parentSpanId && up.parentSpanId !== request!.spanId) up = byId.get(up.parentSpanId)!;
      expect(up?.parentSpanId, `${span.name} descends from the request span`).toBe(request!.spanId);
    }
    const names = ours.map((s) => s.name);
    expect(names).toContain('graphql.validate');
    // The publishers of the three datasets: one batch on the reference source, with its statement.
    const batches = ours.filter((s) => s.name === 'dataloader.batch reference');
    expect(batches).toHaveLength(1);
    const statements = ours.filter((s) => s.parentSpanId === batches[0]!.spanId);
    expect(statements.map((s) => [attribute(s, 'db.system'), attribute(s, 'db.name')])).toEqual([['postgresql', 'reference']]);
    // Nothing from other traces carries the caller's parent.
    expect(spans.filter((s) => s.parentSpanId === callerSpanId)).toEqual([request]);

    // The JSON log line of the request names the caller's trace.
    const line = logLines.find((l) => l.msg === 'graphql request' && l.operation === 'PublicDatasets');
    expect(line?.traceId).toBe(traceId);
  });
});
