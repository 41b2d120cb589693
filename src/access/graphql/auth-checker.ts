import type { AuthChecker } from 'type-graphql';
import type { PersonalKind } from '../vocabulary.js';
import type { AccessContext } from './context.js';
import { asGraphQLNow } from './errors.js';

/** type-graphql's auth checker: every @Authorized field here is a personal one (see @Personal). */
export const authChecker: AuthChecker<AccessContext, PersonalKind> = ({ root, info, context }, kinds) => {
  const kind = kinds[0];
  if (!kind) return false;
  // The path stays graphql-js's linked one: made an array only if the access log cannot be written.
  return asGraphQLNow(() => context.access.guard.check(root, info.parentType.name, info.fieldName, kind, info.path));
};
