import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { AdministrativeUnit } from './administrative-unit.type.js';
import { Agency, AgencyConnection } from './agency.type.js';
import { AgencyOrder } from './reference.enums.js';
import { AgencyFilter } from './reference.inputs.js';

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => AgencyConnection, { nullable: true, description: "The city's departments, district people's committees and centres." })
  async agencies(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => AgencyFilter, { nullable: true, description: 'Only the agencies matching these conditions.' }) filter: AgencyFilter | null,
    @OrderByArg(AgencyOrder, AgencyOrder.NAME, 'How to order the agencies.') orderBy: AgencyOrder,
    @Ctx() { repos, cursors }: GraphContext,
  ): Promise<AgencyConnection> {
    const where = {
      kind: filter?.kind ?? null,
      unitId: optionalGlobalId(filter?.unitId, 'AdministrativeUnit', 'filter.unitId'),
      search: filter?.search ?? null,
    };
    const rows = await repos.reference.agencies.list(where, orderBy, cursors.page(page));
    return AgencyConnection.of(rows, Agency.from, () => repos.reference.agencies.count(where));
  }

  @Query(() => Agency, { nullable: true, description: 'An agency by its code, e.g. "STTTT".' })
  async agency(@Arg('code', () => String, { description: 'Short code, e.g. "STTTT".' }) code: string, @Ctx() { loaders }: GraphContext): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyByCode, code, Agency.from);
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The city or district the agency serves.' })
  async unit(@Root() agency: Agency, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, agency.unitId, AdministrativeUnit.from);
  }
}
