import type { MiddlewareFn } from 'type-graphql';
import { mask } from '../mask.js';
import type { AccessContext } from './context.js';

/**
 * Runs after the auth checker has let a personal field through: where the field rules said
 * "masked", the value leaves only in masked form.
 */
export const MaskPersonalData: MiddlewareFn<AccessContext> = async ({ root, info, context }, next) => {
  const value: unknown = await next();
  const decision = context.access.guard.decisionFor(root as object, info.fieldName);
  if (decision?.access === 'masked' && typeof value === 'string') return mask(decision.kind, value);
  return value;
};
