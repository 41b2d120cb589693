import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { Agency } from '../../reference/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { fieldsAsked } from '../../../platform/relay/selection.js';
import { DossierEvent } from './dossier-event.type.js';
import { Procedure, ProcedureConnection } from './procedure.type.js';
import { ProcedureOrder } from './services.enums.js';
import { ProcedureFilter } from './services.inputs.js';

@Resolver(() => Procedure)
export class ProcedureResolver {
  @Query(() => ProcedureConnection, { nullable: true, description: 'Administrative procedures offered by the agencies.' })
  async procedures(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => ProcedureFilter, { nullable: true, description: 'Only the procedures matching these conditions.' }) filter: ProcedureFilter | null,
    @OrderByArg(ProcedureOrder, ProcedureOrder.NAME, 'How to order the procedures.') orderBy: ProcedureOrder,
    @Ctx() { repos, cursors }: GraphContext,
  ): Promise<ProcedureConnection> {
    const where = {
      agencyId: optionalGlobalId(filter?.agencyId, 'Agency', 'filter.agencyId'),
      serviceLevel: filter?.serviceLevel ?? null,
      field: filter?.field ?? null,
      search: filter?.search ?? null,
    };
    const rows = await repos.services.procedures.list(where, orderBy, cursors.page(page));
    return ProcedureConnection.of(rows, Procedure.from, () => repos.services.procedures.count(where));
  }

  @Query(() => Procedure, { nullable: true, description: 'An administrative procedure (thủ tục hành chính) by its code; null when there is none.' })
  async procedure(@Arg('code', () => String, { description: 'Procedure code, e.g. "1.001053".' }) code: string, @Ctx() { loaders }: GraphContext): Promise<Procedure | null> {
    return loadAs(loaders.services.procedureByCode, code, Procedure.from);
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that handles the procedure.' })
  async agency(@Root() procedure: Procedure, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, procedure.agencyId, Agency.from, fieldsAsked(info, 'Agency'));
  }
}

@Resolver(() => DossierEvent)
export class DossierEventResolver {
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that acted.' })
  async agency(@Root() event: DossierEvent, @Ctx() { loaders }: GraphContext, @Info() info: GraphQLResolveInfo): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, event.agencyId, Agency.from, fieldsAsked(info, 'Agency'));
  }
}
