import { createUnionType } from 'type-graphql';
import { Business } from '../../business/graph/business.type.js';
import { Citizen } from '../../population/graph/citizen.type.js';

/** Who filed a dossier: a citizen (population source) or a business (business source). */
export const Applicant = createUnionType({
  name: 'Applicant',
  description: 'A citizen or a business.',
  types: () => [Citizen, Business] as const,
  resolveType: (value) => (value instanceof Citizen ? Citizen : Business),
});
