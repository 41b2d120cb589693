import { createUnionType } from 'type-graphql';
import { Business } from '../../business/module.js';
import { Citizen } from '../../population/module.js';

/**
 * Who holds a result: a citizen (population source) or a business (business source). The same
 * members as the services module's `Applicant`, which that module does not share: a result's
 * holder is the dossier's applicant.
 */
export const ProcedureResultHolder = createUnionType({
  name: 'ProcedureResultHolder',
  description: 'The holder of a result: a citizen (whose personal fields follow the policy) or a business.',
  // No resolveType: type-graphql's own resolves by class (instanceof) synchronously; a custom one
  // is wrapped in an async function, and graphql-jit calls resolveType synchronously.
  types: () => [Citizen, Business] as const,
});
