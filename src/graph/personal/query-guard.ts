import { mayQueryBy } from '../../auth/policy.js';
import type { GraphContext } from '../context.js';
import { gatewayError } from '../errors.js';
import type { PersonalKind } from './personal.js';

/**
 * Filters, orderings and lookups on personal fields: refused unless the caller could read those
 * fields, since their answers (a count, an order, a hit) would reveal the values.
 */
export async function requireQueryableBy(ctx: GraphContext, uses: ReadonlyArray<readonly [PersonalKind, string]>): Promise<void> {
  if (uses.length === 0) return;
  const caseStands = await ctx.guard.caseStands();
  const refused = uses.filter(([kind]) => !mayQueryBy(ctx.principal, kind, caseStands)).map(([, what]) => what);
  if (refused.length) {
    throw gatewayError('FORBIDDEN', `Not allowed for this caller (it would reveal personal data they may not read): ${refused.join(', ')}`);
  }
}
