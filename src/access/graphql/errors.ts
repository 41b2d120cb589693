import { GraphQLError } from 'graphql';
import { AccessDenied } from '../errors.js';

/** An access refusal as GraphQL tells it: `extensions.code` FORBIDDEN, on the field's path. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Runs an access decision; a refusal (AccessDenied) becomes a FORBIDDEN GraphQL error. */
export async function asGraphQL<T>(decide: () => Promise<T>): Promise<T> {
  try {
    return await decide();
  } catch (error) {
    if (error instanceof AccessDenied) throw forbidden(error.message);
    throw error;
  }
}
