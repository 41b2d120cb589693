import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { datasetWhere } from './dataset-where.js';
import { Dataset, DatasetConnection } from './dataset.type.js';
import { DatasetOrder } from './opendata.enums.js';
import { PublisherDatasetFilter } from './opendata.inputs.js';

/** The open-data side of an agency (the reference source knows nothing of datasets). */
@Resolver(() => Agency)
export class AgencyDatasetsResolver {
  @FieldResolver(() => DatasetConnection, {
    // Nullable like every relation to another source: its outage fails this field, not the agency.
    nullable: true,
    description: 'Datasets the agency publishes (those the caller may see); null with SOURCE_UNAVAILABLE when the opendata source is down.',
  })
  async datasets(
    @Root() agency: Agency,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => PublisherDatasetFilter, { nullable: true, description: 'Only the datasets matching these conditions.' }) filter: PublisherDatasetFilter | null,
    @OrderByArg(DatasetOrder, DatasetOrder.TITLE, 'How to order the datasets.') orderBy: DatasetOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<DatasetConnection> {
    const where = await datasetWhere(filter, ctx);
    // One statement for the pages of every agency in the parent list (a lateral join per agency).
    const rows = await ctx.loaders.opendata.datasetsByPublisher({ filter: where, order: orderBy }, ctx.cursors.page(page)).load(agency.rowId);
    return DatasetConnection.of(rows, Dataset.from, () => ctx.loaders.opendata.datasetCountByPublisher(where).load(agency.rowId));
  }
}
