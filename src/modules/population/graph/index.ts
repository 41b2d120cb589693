import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { fieldsAsked } from '../../../platform/relay/selection.js';
import { CitizenResolver } from './citizen.resolver.js';
import { Citizen } from './citizen.type.js';
import { HouseholdResolver } from './household.resolver.js';
import { citizenInScope, householdScopeFilter } from '../scope.js';
import { Household } from './household.type.js';

export const populationNodes: Record<string, NodeFetcher<GraphContext>> = {
  // Outside the caller's scope a citizen or household answers null, like a missing one.
  Citizen: (id, ctx, info) =>
    loadInScopeAs(ctx.loaders.population.citizenById, id, () => citizenInScope(ctx, id), (_row, visible) => visible, Citizen.from, fieldsAsked(info, 'Citizen')),
  Household: async (id, ctx) => {
    const scope = await householdScopeFilter(ctx);
    if (!scope || (scope.ids && !scope.ids.includes(id))) return null;
    return loadAs(ctx.loaders.population.householdById, id, Household.from);
  },
};

export const populationResolvers = [CitizenResolver, HouseholdResolver] as const;
