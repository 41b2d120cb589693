import { responsePathAsArray } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { PersonalKind } from '../vocabulary.js';
import type { AccessContext } from './context.js';
import { asGraphQL } from './errors.js';

/** type-graphql's auth checker: every @Authorized field here is a personal one (see @Personal). */
export const authChecker: AuthChecker<AccessContext, PersonalKind> = ({ root, info, context }, kinds) => {
  const kind = kinds[0];
  if (!kind) return false;
  return asGraphQL(() => context.access.guard.check(root, info.parentType.name, info.fieldName, kind, responsePathAsArray(info.path)));
};
