import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { SourceState } from '../platform/db/source-errors.js';
import { currentTraceId } from '../platform/telemetry/spans.js';

/**
 * Structured JSON logs. Never personal data: requests are logged by id, operation, role and
 * duration only, and the headers that carry credentials are redacted.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'city-data-gateway' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.authorization'], censor: '[redacted]' },
    // While tracing, a line written under a span names its trace (the request's line, its errors).
    mixin: () => {
      const traceId = currentTraceId();
      return traceId ? { traceId } : {};
    },
  };
  // `destination`: tests that read the lines; otherwise standard output.
  return destination ? pino(options, destination) : pino(options);
}

/**
 * A source's change of state, as one warning without a stack: an outage is expected operation
 * (the driver's reason says what happened), and its fields already fail with SOURCE_UNAVAILABLE.
 */
export function logSourceState(logger: Logger): (state: SourceState) => void {
  return (state) => {
    if (state.status === 'down') logger.warn({ source: state.source, reason: state.reason }, `the ${state.source} source is unavailable`);
    else logger.warn({ source: state.source }, `the ${state.source} source is available again`);
  };
}

export type { Logger };
