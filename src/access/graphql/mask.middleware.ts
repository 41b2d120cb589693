import type { MiddlewareFn } from 'type-graphql';
import { mask } from '../policy.js';
import type { GraphContext } from '../../modules/context.js';

/**
 * Runs after the auth checker has let a personal field through: where the policy said
 * "masked", the value leaves only in masked form.
 */
export const MaskPersonalData: MiddlewareFn<GraphContext> = async ({ root, info, context }, next) => {
  const value: unknown = await next();
  const decision = context.guard.decisionFor(root as object, info.fieldName);
  if (decision?.access === 'masked' && typeof value === 'string') return mask(decision.kind, value);
  return value;
};
