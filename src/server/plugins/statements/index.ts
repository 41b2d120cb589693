import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from '../../../modules/context.js';

/**
 * Outside production each response says how many SQL statements it cost, per source, the access
 * log's write included: the request's repositories count on its context (`ctx.statements`), and
 * the access log's plugin includes its write there (QueryStats.include).
 */
export function statementsPlugin(): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const stats = contextValue?.statements;
          if (!stats || response.body.kind !== 'single') return;
          // Every plugin's willSendResponse starts in the same turn: after one, the access log's write is included.
          await Promise.resolve();
          await stats.settled();
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            sqlStatements: {
              total: stats.total,
              bySource: { ...stats.bySource },
              // Only sources with a read replica, and only when they ran statements.
              ...(Object.keys(stats.byTarget).length ? { byTarget: structuredClone(stats.byTarget) } : {}),
            },
          };
        },
      };
    },
  };
}
