import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { columnsFor, fieldsAsked, selectedFields } from '../../../platform/relay/selection.js';
import { DatasetCategoryCount } from './dataset-category-count.type.js';
import type { DatasetResourceRow, DatasetRow } from '../db/index.js';
import { DATASET_RESOURCE_COLUMNS, DatasetResource, DatasetResourceConnection } from './dataset-resource.type.js';
import { datasetRowScope, isDatasetInScope } from '../scope.js';
import { datasetWhere } from './dataset-where.js';
import { Dataset, DATASET_COLUMNS, DatasetConnection } from './dataset.type.js';
import { DatasetOrder, DatasetResourceFormat } from './opendata.enums.js';
import { DatasetFilter } from './opendata.inputs.js';
import { resourcePage } from './resource-page.js';

/**
 * The resource columns a page of datasets brings along: those of the fields selected under its
 * datasets' `resources` (every column for a field the map does not know) and the format for
 * `formats`; false when neither is selected.
 */
function resourceColumnsFor(info: GraphQLResolveInfo, selected: ReadonlySet<string>): readonly (keyof DatasetResourceRow & string)[] | boolean {
  const formats = selected.has('formats');
  if (!selected.has('resources')) return formats ? ['format'] : false;
  const columns = columnsFor(selectedFields(info, 'DatasetResource', ['edges', 'node', 'resources', 'edges', 'node']), DATASET_RESOURCE_COLUMNS, ['id', 'dataset_id']);
  return columns === undefined ? true : formats ? [...columns, 'format'] : columns;
}

/**
 * The columns a page of datasets fetches, per field nodes: the same for every request of a
 * document (a planned document keeps its nodes), so read from the selection once.
 */
const asked = new WeakMap<readonly FieldNode[], { columns: readonly (keyof DatasetRow & string)[] | undefined; resourceColumns: readonly (keyof DatasetResourceRow & string)[] | boolean }>();
const freeze = <T>(value: T): T => (Array.isArray(value) ? (Object.freeze(value) as T) : value);
function columnsAsked(info: GraphQLResolveInfo) {
  let made = asked.get(info.fieldNodes);
  if (!made) {
    const selected = selectedFields(info, 'Dataset', ['edges', 'node']);
    // Frozen: shared by every request of the document.
    made = Object.freeze({ columns: freeze(columnsFor(selected, DATASET_COLUMNS, ['id'])), resourceColumns: freeze(resourceColumnsFor(info, selected)) });
    asked.set(info.fieldNodes, made);
  }
  return made;
}

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => DatasetConnection, { nullable: true, description: "The open-data catalogue (restricted datasets only for those allowed to see them)." })
  async datasets(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => DatasetFilter, { nullable: true, description: 'Only the datasets matching these conditions.' }) filter: DatasetFilter | null,
    @OrderByArg(DatasetOrder, DatasetOrder.TITLE, 'How to order the datasets.') orderBy: DatasetOrder,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DatasetConnection> {
    const where = await datasetWhere(filter, ctx);
    // Only the columns of the fields the document selects on the page's datasets; their
    // resources (the same source) in the page's statement when a field needs them, with the
    // columns the document selects of them (every `resources` field on these datasets, any
    // alias), kept on each dataset for its `resources` and `formats`.
    const { columns, resourceColumns } = columnsAsked(info);
    const rows = await ctx.repos.opendata.datasets.list(where, orderBy, ctx.cursors.page(page), columns, resourceColumns);
    const resources = rows.resources;
    const from = resources ? (row: DatasetRow) => Object.assign(Dataset.from(row), { fetchedResources: resources.get(row.id) ?? [] }) : Dataset.from;
    return DatasetConnection.of(rows, from, () => ctx.repos.opendata.datasets.count(where));
  }

  @Query(() => Dataset, { nullable: true, description: 'A dataset by its slug; null when there is none the caller may see.' })
  async dataset(@Arg('slug', () => String, { description: 'URL name on the portal, e.g. "danh-sach-tuyen-xe-buyt-tren-dia-ban-thanh-pho-da-nang".' }) slug: string, @Ctx() ctx: GraphContext): Promise<Dataset | null> {
    return loadInScopeAs(ctx.loaders.opendata.datasetBySlug, slug, () => datasetRowScope(ctx), isDatasetInScope, Dataset.from);
  }

  @Query(() => [DatasetCategoryCount], { nullable: true, description: 'Facets: how many datasets match the filter in each category, largest first.' })
  async datasetCategories(
    @Arg('filter', () => DatasetFilter, { nullable: true, description: 'Count only the datasets matching these conditions.' }) filter: DatasetFilter | null,
    @Ctx() ctx: GraphContext,
  ): Promise<DatasetCategoryCount[]> {
    const counts = await ctx.repos.opendata.datasets.categoryCounts(await datasetWhere(filter, ctx));
    return counts.map((c) => Object.assign(new DatasetCategoryCount(), c));
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that publishes the dataset.' })
  async publisher(@Root() dataset: Dataset, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, dataset.publisherId, Agency.from, fieldsAsked(info, 'Agency'));
  }

  @FieldResolver(() => DatasetResourceConnection, { description: 'Its files and APIs, in the order they were added.' })
  async resources(
    @Root() dataset: Dataset,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<DatasetResourceConnection> {
    const rows = dataset.fetchedResources ?? (await loaders.opendata.datasetResources.load(dataset.rowId));
    return DatasetResourceConnection.of(resourcePage(rows, cursors.page(page)), DatasetResource.from, async () => rows.length);
  }

  @FieldResolver(() => [DatasetResourceFormat], { description: 'The formats its resources come in.' })
  async formats(@Root() dataset: Dataset, @Ctx() { loaders }: GraphContext): Promise<DatasetResourceFormat[]> {
    const rows = dataset.fetchedResources ?? (await loaders.opendata.datasetResources.load(dataset.rowId));
    return [...new Set(rows.map((row) => row.format))];
  }
}
