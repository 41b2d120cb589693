import type { SeedContext } from '../../../seed/context.js';
import { agencies } from '../../reference/seed/agencies.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { indicatorSeeds } from './indicators.js';
import { observationRows } from './observations.js';

/** The IOC's indicators (the article's figures and operational ones) and their observations. */
export async function seedIoc(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.ioc;
  await truncateTables(source, ['observations', 'indicators']);
  const indicators = indicatorSeeds(ctx.scale);
  const agencyIds = new Map(agencies().map((a) => [a.code, a.id]));
  await loadTable(
    source,
    'indicators',
    ['id', 'code', 'name', 'description', 'unit', 'category', 'target', 'target_year', 'owner_id', 'visibility', 'granularity', 'frequency', 'source_note'],
    indicators.map((s, i) => [
      i + 1, s.code, s.name, s.description, s.unit, s.category, s.target?.value ?? null, s.target?.year ?? null,
      agencyIds.get(s.owner)!, s.visibility, s.granularity, s.frequency, s.sourceNote,
    ]),
  );
  const count = await loadTable(source, 'observations', ['id', 'indicator_id', 'period', 'ward_id', 'value'], observationRows(ctx.seed, indicators, ctx.scale.observationMonths));
  ctx.log(`ioc: ${indicators.length} indicators, ${count} observations`);
}
