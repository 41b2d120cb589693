import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from '../../../modules/context.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { nameTheRequest } from '../../format-error.js';

/**
 * One log line and the metrics per GraphQL request: request id, operation, role, duration,
 * statement count and error codes. Never variables, results or personal data. Also where a masked
 * error gets its request id and its cause is logged (the formatter has no context: format-error.ts).
 */
export function observabilityPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const seconds = (performance.now() - started) / 1000;
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const requestId = contextValue?.requestId;
          const named = result.errors && nameTheRequest(result.errors, requestId, (err) => logger.error({ err, requestId }, 'unexpected error'));
          if (named) result.errors = named;
          const errors = result.errors ?? [];
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          const operation = operationName ?? 'anonymous';
          metrics.request(operation, seconds, codes);
          logger.info(
            {
              requestId: contextValue?.requestId,
              operation,
              role: contextValue?.principal?.role,
              clientApp: contextValue?.principal?.clientApp ?? undefined,
              durationMs: Math.round(seconds * 1000),
              sqlStatements: contextValue?.statements?.total,
              errors: codes.length ? codes : undefined,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
