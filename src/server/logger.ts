import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Never personal data: requests are logged by id, operation, role and
 * duration only, and the headers that carry credentials are redacted.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'city-data-gateway' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.authorization'], censor: '[redacted]' },
  });
}

export type { Logger };
