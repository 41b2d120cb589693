import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Business } from '../../business/module.js';
import type { GraphContext } from '../../context.js';
import { Citizen } from '../../population/module.js';
import { Dossier } from '../../services/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import type { HolderKind, ProcedureResultRow } from '../db/index.js';
import { resultScopeFilter } from '../scope.js';
import { ProcedureResult, ProcedureResultConnection } from './procedure-result.type.js';
import { ProcedureResultOrder } from './results.enums.js';

// The relations below read the results source for a parent of another source (dossier, citizen,
// business): they are nullable, so that an outage of results costs only these fields and never
// the parent. All go through loaders: one statement per batch of parents, inside the row scope.

/** The results of one holder, inside the caller's row scope; batched over a page of holders. */
async function holderResults(kind: HolderKind, holderId: number, page: ConnectionArgs, order: ProcedureResultOrder, ctx: GraphContext) {
  const scope = await resultScopeFilter(ctx);
  if (!scope) return ProcedureResultConnection.empty();
  const { results } = ctx.loaders;
  const rows = await results.resultsByHolder({ kind, scope, order }, ctx.cursors.page(page)).load(holderId);
  return ProcedureResultConnection.of(
    rows,
    (row: ProcedureResultRow) => ProcedureResult.from(row, ctx.now),
    () => results.resultCountByHolder({ kind, scope }).load(holderId),
  );
}

@Resolver(() => Dossier)
export class DossierResultResolver {
  @FieldResolver(() => ProcedureResult, {
    nullable: true,
    description: "The result issued when the dossier completed, within the caller's result scope; null while there is none (or with SOURCE_UNAVAILABLE when the results source is down).",
  })
  async result(@Root() dossier: Dossier, @Ctx() ctx: GraphContext): Promise<ProcedureResult | null> {
    const scope = await resultScopeFilter(ctx);
    return scope ? loadAs(ctx.loaders.results.resultByDossier(scope), dossier.rowId, (row) => ProcedureResult.from(row, ctx.now)) : null;
  }
}

@Resolver(() => Citizen)
export class CitizenResultsResolver {
  @FieldResolver(() => ProcedureResultConnection, {
    nullable: true,
    description: "Results the citizen holds, within the caller's result scope; null with SOURCE_UNAVAILABLE when the results source is down.",
  })
  results(
    @Root() citizen: Citizen,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @OrderByArg(ProcedureResultOrder, ProcedureResultOrder.ISSUED_AT, 'How to order the results.') orderBy: ProcedureResultOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<ProcedureResultConnection> {
    return holderResults('CITIZEN', citizen.rowId, page, orderBy, ctx);
  }
}

@Resolver(() => Business)
export class BusinessResultsResolver {
  @FieldResolver(() => ProcedureResultConnection, {
    nullable: true,
    description: "Results the business holds, within the caller's result scope; null with SOURCE_UNAVAILABLE when the results source is down.",
  })
  results(
    @Root() business: Business,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @OrderByArg(ProcedureResultOrder, ProcedureResultOrder.ISSUED_AT, 'How to order the results.') orderBy: ProcedureResultOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<ProcedureResultConnection> {
    return holderResults('BUSINESS', business.rowId, page, orderBy, ctx);
  }
}
