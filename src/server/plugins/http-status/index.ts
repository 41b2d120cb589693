import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from '../../../modules/context.js';

// Not PERSISTED_QUERY_NOT_FOUND: the persisted-query protocol answers it with 200, and clients retry.
const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']);

/**
 * A request refused before execution (a syntax error, a limit such as the token count that
 * graphql-armor checks while parsing) is the client's error: HTTP 400, never 500.
 */
export function httpStatusPlugin(): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data !== undefined || !errors?.length) return;
          if (errors.every((error) => CLIENT_CODES.has(String(error.extensions?.code)))) response.http.status = 400;
        },
      };
    },
  };
}
