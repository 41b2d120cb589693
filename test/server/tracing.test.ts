/**
 * What the gateway's spans carry, with the SDK's in-memory exporter in place of OTLP: the
 * authorization matrix's personal-data requests (every caller, every path of test/access/) run
 * through the real HTTP server, and none of the personal values they return (national ids, names,
 * birth dates, addresses, phone numbers, e-mails… every value under a personal field of the
 * schema, and every value the fixtures know of the subjects) appears in any span's name,
 * attributes or events. Then one query's spans are counted: batches, statements, the access log.
 */
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalFields } from '../../src/access/graphql/personal.js';
import { SOURCE_NAMES } from '../../src/modules/index.js';
import { startTelemetry, type Telemetry } from '../../src/platform/telemetry/sdk.js';
import { activeTracer, recordStatement, statementText } from '../../src/platform/telemetry/spans.js';
import { createErrorFormatter } from '../../src/server/format-error.js';
import { CALLERS, type CallerName } from '../access/expectations.js';
import { runCaller, startMatrix, type Matrix } from '../access/runner.js';
import type { GraphQLResponse } from '../support/gateway.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry | undefined;
let m: Matrix;

beforeAll(async () => {
  // Before the gateway: it decides when it is made whether it traces.
  telemetry = startTelemetry({ serviceName: 'tracing-test' }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
  m = await startMatrix();
});
afterAll(async () => {
  await m?.gw.close();
  await telemetry?.shutdown();
});

const ROLE_OF: Record<CallerName, string> = {
  public: 'public',
  citizen: 'citizen',
  officer: 'officer',
  officerNoPurpose: 'officer',
  analyst: 'analyst',
  auditor: 'auditor',
  admin: 'admin',
  adminNoPurpose: 'admin',
};

/** Every string and number under a personal field of the schema (aliased keys end in "Seen": paths.ts). */
function personalValuesOf(data: unknown, personal: ReadonlySet<string>, out: Set<string | number>, inside = false): void {
  if (data === null || data === undefined) return;
  if (typeof data === 'string' || typeof data === 'number') {
    if (inside) out.add(data);
    return;
  }
  if (Array.isArray(data)) {
    for (const item of data) personalValuesOf(item, personal, out, inside);
    return;
  }
  if (typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) personalValuesOf(value, personal, out, inside || personal.has(key) || personal.has(key.replace(/Seen$/, '')));
  }
}

/** Every text a span shows: its name, its attributes (keys and values) and its events' names and attributes. */
function textsOf(span: ReadableSpan): string[] {
  const texts = [span.name];
  const addAttributes = (attributes: ReadableSpan['attributes']) => {
    for (const [key, value] of Object.entries(attributes)) {
      texts.push(key);
      for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== null) texts.push(String(item));
    }
  };
  addAttributes(span.attributes);
  for (const event of span.events) {
    texts.push(event.name);
    addAttributes(event.attributes ?? {});
  }
  return texts;
}

const attribute = (span: ReadableSpan, key: string) => span.attributes[key];
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('no personal value in any span', () => {
  const returned = new Set<string | number>();
  let spans: ReadableSpan[] = [];
  const responses: GraphQLResponse[] = [];

  beforeAll(async () => {
    expect(activeTracer(), 'the SDK is registered').toBeDefined();
    exporter.reset();
    const personal = new Set(personalFields(m.schema).map((f) => f.field));
    for (const caller of CALLERS) {
      const run = await runCaller(m, caller);
      for (const { response } of new Set(run.byPath.values())) {
        if (!responses.includes(response)) responses.push(response);
        personalValuesOf(response.data, personal, returned);
      }
    }
    // What the fixtures know of the subjects (the real values behind the masked ones too).
    for (const subject of Object.values(m.subjects)) personalValuesOf(subject.values, new Set(Object.keys(subject.values)), returned);
    spans = exporter.getFinishedSpans();
  });

  it('the matrix returned personal values, and the requests made spans', () => {
    const strings = [...returned].filter((v): v is string => typeof v === 'string');
    expect(strings).toContain(m.f.C.national_id);
    expect(strings).toContain(m.f.C.full_name);
    expect(strings.length).toBeGreaterThan(20);
    expect(spans.filter((s) => s.kind === SpanKind.SERVER)).toHaveLength(responses.length);
  });

  it('finds none of them in span names, attributes or events', () => {
    const texts = spans.flatMap(textsOf);
    const leaks: string[] = [];
    for (const value of returned) {
      if (typeof value === 'string') {
        // Short strings (a gender, an enum) are compared whole; longer ones anywhere inside a text.
        const found = value.length < 4 ? texts.filter((t) => t === value) : texts.filter((t) => t.includes(value));
        if (found.length) leaks.push(`${JSON.stringify(value)} in ${JSON.stringify(found.slice(0, 3))}`);
      } else {
        // A number as a word of a text, not a $n placeholder of a statement; numeric attributes
        // are the spans' own counts (keys of a batch, entries of a write), not values read.
        const word = new RegExp(`(?<![\\w$.])${String(value).replace('.', '\\.')}(?![\\w.])`);
        const found = texts.filter((t) => word.test(t) && !/^[0-9]+$/.test(t));
        if (found.length) leaks.push(`${value} in ${JSON.stringify(found.slice(0, 3))}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('every request span names the operation, the document hash and the role, and nothing of the document', () => {
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    const roles = new Set(servers.map((s) => attribute(s, 'enduser.role')));
    expect([...roles].sort()).toEqual([...new Set(Object.values(ROLE_OF))].sort());
    for (const span of servers) {
      expect(span.name).toMatch(/^query Matrix[A-Z]$/);
      expect(attribute(span, 'graphql.operation.name')).toBe(span.name.slice('query '.length));
      expect(attribute(span, 'graphql.document.hash')).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(span.attributes).sort()).toEqual(
        expect.arrayContaining(['enduser.role', 'graphql.document.hash', 'graphql.operation.name', 'graphql.operation.type', 'http.response.status_code']),
      );
      // No attribute holds the query or its variables.
      expect(Object.keys(span.attributes).filter((k) => /query|variable|document\.text|body/i.test(k))).toEqual([]);
    }
    // Personal data was read, so the access log was written under the requests.
    const writes = spans.filter((s) => s.name === 'access_log.write');
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(attribute(write, 'access_log.entries')).toBeGreaterThan(0);
  });
});

describe('the spans of one query', () => {
  it('one request span under the caller, validation, one batch per source and level with its statement, the access-log write', async () => {
    exporter.reset();
    const response = await m.gw.query<{ citizens: { edges: Array<{ node: { id: string; ward: { id: string } | null } }> } }>(
      'query TraceCounts { citizens(first: 5) { edges { node { id fullName ward { id name } } } } }',
      undefined,
      m.headers.admin,
    );
    expect(response.errors).toBeUndefined();
    const edges = response.data!.citizens.edges;
    expect(edges).toHaveLength(5);
    const spans = exporter.getFinishedSpans();
    const [request, ...others] = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(others).toEqual([]);
    expect(request!.name).toBe('query TraceCounts');
    expect(attribute(request!, 'enduser.role')).toBe('admin');
    const trace = spans.filter((s) => s.spanContext().traceId === request!.spanContext().traceId);
    expect(trace, 'every span of the request is in its trace').toHaveLength(spans.length);

    const byName = (name: string) => trace.filter((s) => s.name === name);
    expect(byName('graphql.validate').map(parentOf)).toEqual([request!.spanContext().spanId]);

    // The wards of the page: one batch on the reference source, as many keys as distinct wards, one statement.
    const wards = new Set(edges.map((e) => e.node.ward?.id).filter(Boolean));
    const wardBatches = byName('dataloader.batch reference');
    expect(wardBatches).toHaveLength(1);
    expect(attribute(wardBatches[0]!, 'dataloader.keys')).toBe(wards.size);
    for (const batch of trace.filter((s) => s.name.startsWith('dataloader.batch '))) {
      const source = attribute(batch, 'gateway.source');
      expect(SOURCE_NAMES).toContain(source);
      const statements = trace.filter((s) => parentOf(s) === batch.spanContext().spanId && s.kind === SpanKind.CLIENT);
      expect(statements.map((s) => attribute(s, 'db.name')), `${batch.name}: one statement on its own source`).toEqual([source]);
    }

    // Statements per source match the response's own count (development extension), the access log's apart.
    const statements = trace.filter((s) => s.kind === SpanKind.CLIENT);
    for (const s of statements) expect(attribute(s, 'db.system')).toBe('postgresql');
    // The statement's text as sent, values as placeholders ($n): the leak test below sees it too.
    for (const s of statements) expect(String(attribute(s, 'db.statement'))).toMatch(/^\s*(select|with|insert|update|delete)\b/i);
    const counted = response.extensions?.sqlStatements?.bySource ?? {};
    const bySpan: Record<string, number> = {};
    for (const s of statements) bySpan[String(attribute(s, 'db.name'))] = (bySpan[String(attribute(s, 'db.name'))] ?? 0) + 1;
    const withoutAudit = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([source]) => source !== 'audit'));
    expect(withoutAudit(bySpan)).toEqual(withoutAudit(counted));

    // The access log's durable write, with its statements (on the audit source) under it.
    const [write, ...moreWrites] = byName('access_log.write');
    expect(moreWrites).toEqual([]);
    expect(attribute(write!, 'access_log.entries')).toBeGreaterThanOrEqual(1);
    const writeStatements = statements.filter((s) => parentOf(s) === write!.spanContext().spanId);
    expect(writeStatements.length).toBeGreaterThan(0);
    for (const s of writeStatements) expect(attribute(s, 'db.name')).toBe('audit');
  });

  it('turns a statement into its SQL text with placeholders, never its values', () => {
    const secret = m.f.C.national_id;
    const node = m.gw.databases.connections.sources.population.db.selectFrom('citizens').select('id').where('national_id', '=', secret).toOperationNode();
    const text = statementText(node);
    expect(text).toMatch(/where "national_id" = \$1/);
    expect(text).not.toContain(secret);
    const raw = sql`select id from population.citizens where national_id = ${secret}`.compile(m.gw.databases.connections.sources.population.db).query;
    expect(statementText(raw)).not.toContain(secret);

    exporter.reset();
    // Outside any span (a background tick): no trace of its own.
    recordStatement('population', 0.002, 'primary', node);
    expect(exporter.getFinishedSpans()).toEqual([]);
    activeTracer()!.startActiveSpan('work', (parent) => {
      recordStatement('population', 0.002, 'primary', node);
      parent.end();
    });
    const [span, parent] = exporter.getFinishedSpans();
    expect(parent!.name).toBe('work');
    expect(parentOf(span!)).toBe(parent!.spanContext().spanId);
    expect(span!.name).toBe('select population');
    expect(span!.attributes).toEqual({ 'db.system': 'postgresql', 'db.name': 'population', 'gateway.db.target': 'primary', 'db.statement': text, 'db.operation': 'select' });
    expect(span!.kind).toBe(SpanKind.CLIENT);
  });
});

describe('the trace id in masked errors', () => {
  it('an INTERNAL_SERVER_ERROR names the trace it happened in, beside the request id', () => {
    const format = createErrorFormatter({ requestIdOf: () => 'request-1', log: () => undefined });
    const tracer = activeTracer()!;
    const { formatted, traceId } = tracer.startActiveSpan('unexpected', (span) => {
      const out = { formatted: format({ message: 'boom: select … 048…' }, new Error('boom')), traceId: span.spanContext().traceId };
      span.end();
      return out;
    });
    expect(formatted).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'request-1', traceId } });
    // Outside any span: the request id only.
    expect(format({ message: 'boom' }, new Error('boom')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'request-1' });
  });
});
