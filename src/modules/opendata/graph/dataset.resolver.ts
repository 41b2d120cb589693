import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { columnsFor, fieldsAsked, selectedFields } from '../../../platform/relay/selection.js';
import { DatasetCategoryCount } from './dataset-category-count.type.js';
import { DatasetResource, DatasetResourceConnection } from './dataset-resource.type.js';
import { datasetRowScope, isDatasetInScope } from '../scope.js';
import { datasetWhere } from './dataset-where.js';
import { Dataset, DATASET_COLUMNS, DatasetConnection } from './dataset.type.js';
import { DatasetOrder, DatasetResourceFormat } from './opendata.enums.js';
import { DatasetFilter } from './opendata.inputs.js';
import { resourcePage } from './resource-page.js';

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
    // resources (the same source) in the page's statement when a field needs them, primed into
    // the request's loader that `resources` and `formats` read.
    const selected = selectedFields(info, 'Dataset', ['edges', 'node']);
    const columns = columnsFor(selected, DATASET_COLUMNS, ['id']);
    const rows = await ctx.repos.opendata.datasets.list(where, orderBy, ctx.cursors.page(page), columns, selected.has('resources') || selected.has('formats'));
    for (const [datasetId, resources] of rows.resources ?? []) ctx.loaders.opendata.datasetResources.prime(datasetId, resources);
    return DatasetConnection.of(rows, Dataset.from, () => ctx.repos.opendata.datasets.count(where));
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
    const rows = await loaders.opendata.datasetResources.load(dataset.rowId);
    return DatasetResourceConnection.of(resourcePage(rows, cursors.page(page)), DatasetResource.from, async () => rows.length);
  }

  @FieldResolver(() => [DatasetResourceFormat], { description: 'The formats its resources come in.' })
  async formats(@Root() dataset: Dataset, @Ctx() { loaders }: GraphContext): Promise<DatasetResourceFormat[]> {
    const rows = await loaders.opendata.datasetResources.load(dataset.rowId);
    return [...new Set(rows.map((row) => row.format))];
  }
}
