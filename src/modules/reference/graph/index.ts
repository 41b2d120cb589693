import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { AdministrativeUnitResolver } from './administrative-unit.resolver.js';
import { AdministrativeUnit } from './administrative-unit.type.js';
import { AgencyResolver } from './agency.resolver.js';
import { Agency } from './agency.type.js';

export const referenceNodes: Record<string, NodeFetcher<GraphContext>> = {
  AdministrativeUnit: async (id, { loaders }) => {
    const row = await loaders.reference.unitById.load(id);
    return row ? AdministrativeUnit.from(row) : null;
  },
  Agency: async (id, { loaders }) => {
    const row = await loaders.reference.agencyById.load(id);
    return row ? Agency.from(row) : null;
  },
};

export const referenceResolvers = [AdministrativeUnitResolver, AgencyResolver] as const;
