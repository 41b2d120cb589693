import type { SourceName } from './source-names.js';

/** A source that cannot answer now (down, refusing connections, or too slow). */
export class SourceUnavailableError extends Error {
  constructor(
    readonly source: SourceName,
    cause: unknown,
  ) {
    super(`The ${source} source is unavailable`, { cause });
  }
}

/** PostgreSQL and network failures that mean "the source is not there", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '57014', // query cancelled: the statement timeout
  '53300', // too many connections
  '3D000', // the database does not exist (dropped or not yet created)
]);
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not currently accepting connections|Client has encountered a connection error/i;

/** The driver's own words for a failure (e.g. `connect ECONNREFUSED 127.0.0.1:5999`), without a stack. */
export function reasonOf(error: unknown): string {
  const inner = error instanceof SourceUnavailableError ? error.cause : error;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    const message = inner.message || (inner instanceof AggregateError ? inner.errors.map((e: unknown) => reasonOf(e)).join('; ') : '');
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message || String(code ?? inner.name);
  }
  return String(inner);
}

export function isUnavailable(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  if (!candidate) return false;
  if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
  return typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message);
}
