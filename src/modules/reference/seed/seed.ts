import type { SeedContext } from '../../../seed/context.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { agencies } from './agencies.js';
import { administrativeUnits } from './units.js';

export async function seedReference(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.reference;
  await truncateTables(source, ['agencies', 'administrative_units']);
  await loadTable(
    source,
    'administrative_units',
    ['id', 'code', 'name', 'full_name', 'level', 'designation', 'parent_id', 'population'],
    administrativeUnits().map((u) => [u.id, u.code, u.name, u.fullName, u.level, u.designation, u.parentId, u.population]),
  );
  await loadTable(
    source,
    'agencies',
    ['id', 'code', 'name', 'kind', 'unit_id', 'email', 'website'],
    agencies().map((a) => [a.id, a.code, a.name, a.kind, a.unitId, a.email, a.website]),
  );
}
