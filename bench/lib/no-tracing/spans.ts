/**
 * bench/tracing.ts's "no hooks" variant of src/platform/telemetry/spans.ts: the same exports as
 * plain pass-throughs, with no OpenTelemetry import, so the gateway runs as if the tracing calls
 * had never been written (a call that only runs `work()` is inlined by V8). Swapped in for the
 * real module by ./hooks.mjs; never imported by the gateway itself.
 */
type Attributes = Record<string, unknown>;
type Node = unknown;

export const TRACER_NAME = 'city-data-gateway';

export function setTracing(_on: boolean): void {}

export function activeTracer(): undefined {
  return undefined;
}

export function currentTraceId(): string | undefined {
  return undefined;
}

export function inSpan<T>(_name: string, _attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return work();
}

export function traceBatch<T>(_source: string | undefined, _keys: number, run: () => Promise<T>): Promise<T> {
  return run();
}

export function traceAccessLogWrite<T>(_entries: number, _requests: number, run: () => Promise<T>): Promise<T> {
  return run();
}

export function statementText(_node: Node): string {
  return '';
}

export function recordStatement(_source: string, _seconds: number, _target: string, _node?: Node): void {}
