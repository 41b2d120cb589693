import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { AdministrativeUnitResolver } from './administrative-unit.resolver.js';
import { AdministrativeUnit } from './administrative-unit.type.js';
import { AgencyResolver } from './agency.resolver.js';
import { Agency } from './agency.type.js';

export const referenceNodes: Record<string, NodeFetcher<GraphContext>> = {
  AdministrativeUnit: (id, { loaders }) => loadAs(loaders.reference.unitById, id, AdministrativeUnit.from),
  Agency: (id, { loaders }) => loadAs(loaders.reference.agencyById, id, Agency.from),
};

export const referenceResolvers = [AdministrativeUnitResolver, AgencyResolver] as const;
