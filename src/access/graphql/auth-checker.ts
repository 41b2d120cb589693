import { responsePathAsArray } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { GraphContext } from '../../modules/context.js';
import type { PersonalKind } from './personal.js';

/** type-graphql's auth checker: every @Authorized field here is a personal one (see @Personal). */
export const authChecker: AuthChecker<GraphContext, PersonalKind> = ({ root, info, context }, kinds) => {
  const kind = kinds[0];
  if (!kind) return false;
  return context.guard.check(root, info.parentType.name, info.fieldName, kind, responsePathAsArray(info.path));
};
