import { createUnionType } from 'type-graphql';
import { Business } from '../../business/module.js';
import { Citizen } from '../../population/module.js';

/** Who filed a dossier: a citizen (population source) or a business (business source). */
export const Applicant = createUnionType({
  name: 'Applicant',
  description: 'A citizen or a business.',
  types: () => [Citizen, Business] as const,
  resolveType: (value) => (value instanceof Citizen ? Citizen : Business),
});
