import type { SeedContext } from '../../../seed/context.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { datasets } from './datasets.js';
import { resourceRows } from './resources.js';

/** The open-data catalogue: about 1,200 datasets at every scale, as the article counts. */
export async function seedOpendata(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.opendata;
  await truncateTables(source, ['dataset_resources', 'datasets']);
  const catalogue = datasets(ctx.seed, ctx.scale.datasets);
  await loadTable(
    source,
    'datasets',
    ['id', 'slug', 'title', 'description', 'category', 'tags', 'licence', 'publisher_id', 'access_level', 'update_frequency', 'downloads', 'created_at', 'updated_at'],
    catalogue.map((d) => [
      d.id, d.slug, d.title, d.description, d.category, d.tags, d.licence, d.publisherId, d.accessLevel,
      d.updateFrequency, d.downloads, d.createdAt, d.updatedAt,
    ]),
  );
  await loadTable(source, 'dataset_resources', ['id', 'dataset_id', 'name', 'format', 'url', 'size_bytes', 'created_at'], resourceRows(ctx.seed, catalogue));
  ctx.log(`opendata: ${catalogue.length} datasets`);
}
