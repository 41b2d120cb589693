/**
 * A refusal decided by the access package. It knows nothing of GraphQL: the GraphQL adapter
 * (access/graphql/) turns it into an error whose `extensions.code` is FORBIDDEN.
 */
export class AccessDenied extends Error {
  override readonly name = 'AccessDenied';
}
