import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from '../platform/errors.js';
import { InvalidGlobalIdError } from '../platform/relay/global-id.js';
import { PageArgumentError } from '../platform/db/keyset.js';
import { SourceUnavailableError } from '../platform/db/source-errors.js';
import { currentTraceId } from '../platform/telemetry/spans.js';
import { limitExceeded } from './limits.js';

const PASS_THROUGH = new Set<string>(ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'));

/** Apollo's own codes for a request the client got wrong. */
const CLIENT_MISTAKES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);

export interface MaskOptions {
  /** In production no "Did you mean …?" hints: the schema must not be guessable name by name. */
  production?: boolean;
  /** Where the formatter knows the request (tests, a transport with one request per formatter); else see `nameTheRequest`. */
  requestIdOf?: () => string | undefined;
  /**
   * Unexpected errors only (with their stack): expected ones keep their code and are not logged here.
   * Without it the cause is kept for `nameTheRequest`, which logs it with the request's id.
   */
  log?: (error: unknown, formatted: GraphQLFormattedError) => void;
}

/** Masked errors not logged yet, to their cause: Apollo's formatError is given no context to name the request by. */
const causes = new WeakMap<GraphQLFormattedError, unknown>();

/**
 * The answer's INTERNAL_SERVER_ERRORs named with the request's id, and each masked error's cause
 * logged with it (once): called where the request is known (a plugin's willSendResponse), which
 * spares an AsyncLocalStorage around every request just for the formatter.
 */
export function nameTheRequest(
  errors: readonly GraphQLFormattedError[],
  requestId: string | undefined,
  log: (error: unknown, formatted: GraphQLFormattedError) => void,
): GraphQLFormattedError[] | undefined {
  let named: GraphQLFormattedError[] | undefined;
  errors.forEach((error, i) => {
    if (!causes.has(error)) return;
    const cause = causes.get(error);
    causes.delete(error);
    log(cause, error);
    named ??= [...errors];
    named[i] = { ...error, extensions: { ...error.extensions, requestId } };
  });
  return named;
}

/**
 * The one place where errors are masked: expected errors keep their code and message; anything
 * else becomes INTERNAL_SERVER_ERROR with no detail (the server log keeps it).
 */
export function createErrorFormatter(options: MaskOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    const message = options.production ? formatted.message.replace(/ ?Did you mean [^?]*\?/g, '') : formatted.message;
    const base = { message, locations: formatted.locations, path: formatted.path };

    if (original instanceof PageArgumentError || original instanceof InvalidGlobalIdError) {
      return { ...base, message: original.message, extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode } };
    }
    if (original instanceof SourceUnavailableError) {
      // Only the fields that needed this source fail. Expected, so not logged per field: the
      // source's change of state (down, up again) is logged once, at warn (see app.ts).
      return { ...base, message: original.message, extensions: { code: 'SOURCE_UNAVAILABLE' satisfies ErrorCode, source: original.source } };
    }
    const limit = limitExceeded(formatted.message);
    if (limit) return { ...base, message: limit, extensions: { code: 'QUERY_TOO_COMPLEX' satisfies ErrorCode } };
    if (code && PASS_THROUGH.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...base, extensions: { ...extensions, code } };
    }
    if (code && CLIENT_MISTAKES.has(code)) {
      return { ...base, extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode, reason: code } };
    }
    // While tracing, the trace id too: an operator finds the request's spans from the client's report.
    const traceId = currentTraceId();
    const masked: GraphQLFormattedError = {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' satisfies ErrorCode, requestId: options.requestIdOf?.(), ...(traceId ? { traceId } : {}) },
    };
    if (options.log) options.log(original, formatted);
    else causes.set(masked, original);
    return masked;
  };
}
