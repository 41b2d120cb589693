import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { createQueryId, PostgresQueryCompiler, type RootOperationNode } from 'kysely';

/**
 * The gateway's spans, through the OpenTelemetry API only (the SDK is in sdk.ts, loaded when an
 * endpoint is set). While tracing is off every helper here runs its work directly: no span, no
 * context switch, not even the API's no-op objects.
 *
 * What goes into a span is chosen here and in the tracing plugin, never taken from a request:
 * names, counts, sources, the SQL text with its placeholders. Never a variable, a value bound
 * to a statement, or a result.
 */
let tracer: Tracer | undefined;

export const TRACER_NAME = 'city-data-gateway';

/** Called by sdk.ts once the SDK is registered (and with false when it shuts down). */
export function setTracing(on: boolean): void {
  // Taken from the provider registered now: a tracer from before would keep a stale delegate.
  tracer = on ? trace.getTracer(TRACER_NAME) : undefined;
}

/** The tracer while tracing is on; undefined when off (callers then skip their spans). */
export function activeTracer(): Tracer | undefined {
  return tracer;
}

/** The trace id of the span this code runs under (logs, masked errors); undefined when off. */
export function currentTraceId(): string | undefined {
  if (!tracer) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** Runs `work` under a new span (its children nest under it) and ends the span when it settles. */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!tracer) return work();
  return tracer.startActiveSpan(name, { kind, attributes }, async (span: Span) => {
    try {
      return await work();
    } catch (error) {
      // The error's class only: messages may quote values (a driver's "key (…)=(…)" detail).
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** One DataLoader batch: which source, how many keys (never the keys). */
export function traceBatch<T>(source: string | undefined, keys: number, run: () => Promise<T>): Promise<T> {
  // Checked before the name and attributes are built: off, a batch allocates nothing here.
  if (!tracer) return run();
  return inSpan(`dataloader.batch ${source ?? 'unknown'}`, { 'gateway.source': source ?? 'unknown', 'dataloader.keys': keys }, run);
}

/** The access log's durable write of one group commit: how many entries, for how many requests. */
export function traceAccessLogWrite<T>(entries: number, requests: number, run: () => Promise<T>): Promise<T> {
  if (!tracer) return run();
  return inSpan('access_log.write', { 'access_log.entries': entries, 'access_log.requests': requests, 'db.system': 'postgresql', 'db.name': 'audit' }, run);
}

/** The first keyword of a statement (select, insert…), for the span's name. */
function operationOf(text: string): string | undefined {
  return /^\s*([a-z]+)/i.exec(text)?.[1]?.toLowerCase();
}

const compiler = new PostgresQueryCompiler();

/**
 * A statement's SQL text as the driver receives it: the same compiler as both dialects (pg and
 * PGlite), whose values become $n parameters; the parameters themselves are dropped here.
 */
export function statementText(node: RootOperationNode): string {
  return compiler.compileQuery(node, createQueryId()).sql;
}

/**
 * A finished SQL statement, as heard from the connections' statement listener (it reports after
 * the result, with the duration: the span is dated back to the statement's start). It nests under
 * whatever span the statement ran in (a loader batch, a resolver's request, the access-log write).
 * The SQL text (placeholders only) when the emitter gives the statement's node.
 */
export function recordStatement(source: string, seconds: number, target: string, node?: RootOperationNode): void {
  // Statements outside any span (the access-log integrator's ticks, health checks) would each
  // start a one-span trace every few hundred milliseconds: only work done for a request is traced.
  if (!tracer || !trace.getActiveSpan()) return;
  const end = performance.timeOrigin + performance.now();
  const text = node === undefined ? undefined : statementText(node);
  const operation = text === undefined ? undefined : operationOf(text);
  const attributes: Attributes = { 'db.system': 'postgresql', 'db.name': source, 'gateway.db.target': target };
  if (text !== undefined) attributes['db.statement'] = text;
  if (operation) attributes['db.operation'] = operation;
  const span = tracer.startSpan(`${operation ?? 'sql'} ${source}`, { kind: SpanKind.CLIENT, attributes, startTime: end - seconds * 1000 }, context.active());
  span.end(end);
}
