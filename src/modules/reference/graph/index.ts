import { registerNodeType } from '../../../platform/relay/node-registry.js';
import { AdministrativeUnitResolver } from './administrative-unit.resolver.js';
import { AdministrativeUnit } from './administrative-unit.type.js';
import { AgencyResolver } from './agency.resolver.js';
import { Agency } from './agency.type.js';

registerNodeType('AdministrativeUnit', async (id, { loaders }) => {
  const row = await loaders.unitById.load(id);
  return row ? AdministrativeUnit.from(row) : null;
});
registerNodeType('Agency', async (id, { loaders }) => {
  const row = await loaders.agencyById.load(id);
  return row ? Agency.from(row) : null;
});

export const referenceResolvers = [AdministrativeUnitResolver, AgencyResolver] as const;
