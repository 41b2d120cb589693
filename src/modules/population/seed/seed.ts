import type { SeedContext } from '../../../seed/context.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { CITIZEN_COLUMNS, HOUSEHOLD_COLUMNS, citizenRows, householdRows } from './rows.js';

/**
 * Households, then their members: both walk the same deterministic blocks of residents, so
 * nothing is held in memory and the head of each household (its first member) is known upfront.
 */
export async function seedPopulation(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.population;
  await truncateTables(source, ['citizens', 'households']);
  const households = await loadTable(source, 'households', HOUSEHOLD_COLUMNS, householdRows(ctx.seed, ctx.scale.citizens), { rebuildIndexes: true });
  const citizens = await loadTable(source, 'citizens', CITIZEN_COLUMNS, citizenRows(ctx.seed, ctx.scale.citizens), { rebuildIndexes: true });
  ctx.log(`population: ${citizens} citizens in ${households} households`);
}
