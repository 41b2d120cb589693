import { createUnionType } from 'type-graphql';
import { Business } from '../../business/module.js';
import { Citizen } from '../../population/module.js';

/** Who filed a dossier: a citizen (population source) or a business (business source). */
export const Applicant = createUnionType({
  name: 'Applicant',
  description: 'A citizen or a business.',
  // No resolveType: type-graphql's own resolves by class (instanceof) synchronously; a custom one
  // is wrapped in an async function, and graphql-jit calls resolveType synchronously.
  types: () => [Citizen, Business] as const,
});
