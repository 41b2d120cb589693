import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Citizen } from '../../population/module.js';
import { AdministrativeUnit, districtWardIds } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { fieldsAsked } from '../../../platform/relay/selection.js';
import { BusinessOrder } from './business.enums.js';
import { BusinessFilter } from './business.inputs.js';
import { Business, BusinessConnection } from './business.type.js';

@Resolver(() => Business)
export class BusinessResolver {
  @Query(() => BusinessConnection, { nullable: true, description: 'Enterprises and household businesses (public profiles).' })
  async businesses(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => BusinessFilter, { nullable: true, description: 'Only the businesses matching these conditions.' }) filter: BusinessFilter | null,
    @OrderByArg(BusinessOrder, BusinessOrder.NAME, 'How to order the businesses.') orderBy: BusinessOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<BusinessConnection> {
    const where = {
      kind: filter?.kind ?? null,
      status: filter?.status ?? null,
      wardId: optionalGlobalId(filter?.wardId, 'AdministrativeUnit', 'filter.wardId'),
      wardIds: filter?.districtId != null ? await districtWardIds(filter.districtId, ctx, 'filter.districtId') : null,
      industryCode: filter?.industryCode ?? null,
      legalForm: filter?.legalForm ?? null,
      digitalTech: filter?.digitalTech ?? null,
      search: filter?.search ?? null,
      registeredFrom: filter?.registeredFrom ?? null,
      registeredTo: filter?.registeredTo ?? null,
    };
    const rows = await ctx.repos.business.businesses.list(where, orderBy, ctx.cursors.page(page));
    return BusinessConnection.of(rows, Business.from, () => ctx.repos.business.businesses.count(where));
  }

  @Query(() => Business, { nullable: true, description: 'A business by enterprise code (tax code) or household registration number.' })
  async business(
    @Arg('code', () => String, { description: 'Enterprise code (mã số doanh nghiệp) or household business registration number.' }) code: string,
    @Ctx() { loaders }: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Business | null> {
    return loadAs(loaders.business.businessByCode, code, Business.from, fieldsAsked(info, 'Business'));
  }

  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward (phường/xã) of the registered address.' })
  async ward(@Root() business: Business, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, business.wardId, AdministrativeUnit.from, fieldsAsked(info, 'AdministrativeUnit'));
  }

  @FieldResolver(() => Citizen, { nullable: true, description: 'The legal representative: a citizen whose personal fields follow the policy.' })
  async legalRepresentative(@Root() business: Business, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Citizen | null> {
    return loadAs(loaders.population.citizenById, business.legalRepresentativeId, Citizen.from, fieldsAsked(info, 'Citizen'));
  }
}

@Resolver(() => Citizen)
export class CitizenBusinessesResolver {
  @FieldResolver(() => BusinessConnection, {
    // Nullable like every relation to another source: its outage fails this field, not the citizen.
    nullable: true,
    description: 'Businesses this person legally represents (public register data); null with SOURCE_UNAVAILABLE when the business source is down.',
  })
  async businesses(
    @Root() citizen: Citizen,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() { loaders, cursors }: GraphContext,
  ): Promise<BusinessConnection> {
    const rows = await loaders.business.businessesByRepresentative(BusinessOrder.NAME, cursors.page(page)).load(citizen.rowId);
    return BusinessConnection.of(rows, Business.from, () => loaders.business.businessCountByRepresentative(null).load(citizen.rowId));
  }
}
