import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setTracing } from './spans.js';

/** The tracing settings (src/config.ts reads them from the environment). */
export interface TelemetryConfig {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's OTLP/HTTP base URL (spans go to <url>/v1/traces); unset, no tracing at all. */
  endpoint?: string;
  /** OTEL_SERVICE_NAME: the service the spans name (default city-data-gateway). */
  serviceName: string;
}

export interface TelemetryOptions {
  /**
   * Tests only: where the spans go instead of the OTLP exporter (an in-memory exporter behind a
   * SimpleSpanProcessor).
   */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Flushes the spans still buffered and unregisters the SDK (the API is back to its no-ops). */
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP traces URL of a base endpoint, as the OTLP exporter specification builds it. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Starts the OpenTelemetry SDK: spans go out over OTLP/HTTP (JSON) to `config.endpoint`; the
 * caller's W3C traceparent is read by the SDK's default propagator; the context manager carries
 * the active span through the request's async work. Only called when an endpoint is set (or by a
 * test with its own processors): otherwise nothing is registered and the API stays a no-op.
 */
export function startTelemetry(config: TelemetryConfig, options: TelemetryOptions = {}): Telemetry {
  if (!options.spanProcessors && !config.endpoint) throw new Error('startTelemetry needs an endpoint (OTEL_EXPORTER_OTLP_ENDPOINT) or span processors');
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    ...(options.spanProcessors
      ? { spanProcessors: options.spanProcessors }
      : { traceExporter: new OTLPTraceExporter({ url: tracesUrl(config.endpoint!) }) }),
    // Traces only: without these the SDK would also set up OTLP metrics and logs from the environment.
    metricReaders: [],
    logRecordProcessors: [],
    // The gateway makes its own spans (request, validation, batches, SQL, access log): no
    // monkey-patching instrumentations, whose spans would carry what this one never does.
    instrumentations: [],
  });
  sdk.start();
  setTracing(true);
  return {
    async shutdown() {
      setTracing(false);
      await sdk.shutdown();
      // Back to the no-op API, so that a gateway started later in this process traces nothing.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
