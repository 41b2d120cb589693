import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from '../../../modules/context.js';
import { currentQueryStats } from '../../../platform/db/query-stats.js';

/**
 * Outside production each response says how many SQL statements its data cost, per source (the
 * access log's write runs alongside and is not included).
 */
export function statementsPlugin(): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const stats = currentQueryStats();
          if (!stats || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            // A copy: the access log's write, still running, must not be counted in afterwards.
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
