import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { GraphContext } from '../../../modules/context.js';
import type { LoaderOptions } from '../../../modules/loaders.js';
import type { SourceEvents } from '../../../platform/db/source-events.js';
import { activeTracer, recordStatement, traceBatch } from '../../../platform/telemetry/spans.js';

/**
 * Whether this gateway traces: decided once, when the app is made, from whether the SDK was
 * started (src/cli/start.ts with OTEL_EXPORTER_OTLP_ENDPOINT set). Off, none of the pieces below
 * is installed: no middleware, no plugin, no loader or statement hook.
 */
export function tracingOn(): boolean {
  return activeTracer() !== undefined;
}

/**
 * The request's span, opened before anything else reads the request: the caller's W3C
 * traceparent (through the SDK's propagator) is its parent, and every span made while serving
 * the request (validation, loader batches, SQL, the access-log write) nests under it because the
 * rest of the request runs inside its context.
 */
export function requestTracing(): RequestHandler[] {
  const tracer = activeTracer();
  if (!tracer) return [];
  return [
    (req, res, next) => {
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      // The route, never the query string or the body.
      const span = tracer.startSpan('graphql request', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': '/graphql' } }, parent);
      const requestId = res.locals.requestId as string | undefined;
      if (requestId) span.setAttribute('gateway.request_id', requestId);
      res.once('close', () => {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      context.with(trace.setSpan(parent, span), next);
    },
  ];
}

/** The loaders' batch hook while tracing (spread into the gateway's LoaderOptions): one span per batch. */
export function batchTracing(): Pick<LoaderOptions, 'traceBatch'> {
  return tracingOn() ? { traceBatch } : {};
}

/**
 * The GraphQL side of the request span: operation name and type, document hash, the caller's
 * role and client app, and the error codes of the response (codes only: a message may quote a
 * value); a span for parsing and one for validation; and, for as long as the server runs, a span
 * per SQL statement of these connections (heard from their statement listener). Never variables,
 * arguments, the document's text or results.
 */
export function tracingPlugin(events: SourceEvents): ApolloServerPlugin<GraphContext> {
  // One listener however many Apollo servers share this plugin (/graphql and /subgraph): else every statement would make two spans.
  let servers = 0;
  let stop: (() => void) | undefined;
  return {
    async serverWillStart() {
      if (servers++ === 0) stop = events.onStatement(recordStatement);
      return {
        async serverWillStop() {
          if (--servers === 0) stop?.();
        },
      };
    },
    async requestDidStart({ contextValue }) {
      const tracer = activeTracer();
      const span: Span | undefined = trace.getActiveSpan();
      if (!tracer || !span) return;
      span.setAttribute('enduser.role', contextValue.principal.role);
      if (contextValue.principal.clientApp) span.setAttribute('gateway.client_app', contextValue.principal.clientApp);
      const step = (name: string) => {
        const child = tracer.startSpan(name);
        return async (error?: unknown) => {
          const failed = Array.isArray(error) ? error.length > 0 : error !== undefined;
          if (failed) child.setStatus({ code: SpanStatusCode.ERROR });
          child.end();
        };
      };
      return {
        async parsingDidStart() {
          return step('graphql.parse');
        },
        async validationDidStart() {
          return step('graphql.validate');
        },
        async didResolveOperation({ operationName, operation, queryHash }) {
          const type = operation?.operation ?? 'unknown';
          span.updateName(operationName ? `${type} ${operationName}` : type);
          span.setAttribute('graphql.operation.type', type);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
          span.setAttribute('graphql.document.hash', queryHash);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          if (errors.length === 0) return;
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))].sort();
          span.setAttribute('graphql.error.codes', codes);
          if (codes.includes('INTERNAL_SERVER_ERROR')) span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
  };
}
