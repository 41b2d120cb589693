import { GraphQLError } from 'graphql';
import { AccessDenied } from '../errors.js';

/** An access refusal as GraphQL tells it: `extensions.code` FORBIDDEN, on the field's path. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

function asForbidden(error: unknown): never {
  if (error instanceof AccessDenied) throw forbidden(error.message);
  throw error;
}

/** Runs an access decision; a refusal (AccessDenied) becomes a FORBIDDEN GraphQL error. */
export async function asGraphQL<T>(decide: () => Promise<T>): Promise<T> {
  try {
    return await decide();
  } catch (error) {
    return asForbidden(error);
  }
}

/**
 * The same for a decision that may be known at once: answered without a promise when it is (a
 * personal field's guard, once the person's relation is known), so a page of values costs no
 * promise per value here.
 */
export function asGraphQLNow<T>(decide: () => T | Promise<T>): T | Promise<T> {
  let result: T | Promise<T>;
  try {
    result = decide();
  } catch (error) {
    return asForbidden(error);
  }
  return result instanceof Promise ? result.catch(asForbidden) : result;
}
