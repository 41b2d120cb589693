import type { SeedContext } from '../../../seed/context.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { BUSINESS_COLUMNS, businessRows, digitalTechTarget } from './rows.js';

/**
 * The business register. Legal representatives are recomputed from the population seed's pure
 * resident model (same seed and scale), so each is an existing adult citizen without reading
 * the population database.
 */
export async function seedBusiness(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.business;
  await truncateTables(source, ['businesses']);
  const rows = await loadTable(source, 'businesses', BUSINESS_COLUMNS, businessRows(ctx.seed, ctx.scale), { rebuildIndexes: true });
  ctx.log(`business: ${rows} businesses, ${digitalTechTarget(ctx.scale)} of them digital technology enterprises`);
}
