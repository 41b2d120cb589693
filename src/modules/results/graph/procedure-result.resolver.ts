import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Business } from '../../business/module.js';
import type { GraphContext } from '../../context.js';
import { Citizen } from '../../population/module.js';
import { Agency } from '../../reference/module.js';
import { Dossier, dossierScopeFilter } from '../../services/module.js';
import { badUserInput } from '../../../platform/errors.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { loadAs } from '../../../platform/relay/load-as.js';
import { OrderByArg } from '../../../platform/relay/order-by.js';
import type { ProcedureResultRow, ResultWhere } from '../db/index.js';
import { documentKey } from '../loaders.js';
import { resultScopeFilter } from '../scope.js';
import { ProcedureResultHolder } from './holder.union.js';
import { ProcedureResult, ProcedureResultConnection } from './procedure-result.type.js';
import { ProcedureResultOrder } from './results.enums.js';
import { ProcedureResultFilter } from './results.inputs.js';
import { ProcedureResultVerification } from './verification.type.js';

/** The client's filter as a repository filter; the row scope is added separately, in SQL. */
export function resultWhere(filter: ProcedureResultFilter | null | undefined, now: Date): ResultWhere {
  return {
    kind: filter?.kind ?? null,
    status: filter?.status ?? null,
    issuingAgencyId: optionalGlobalId(filter?.issuingAgencyId, 'Agency', 'filter.issuingAgencyId'),
    holderKind: filter?.holderKind ?? null,
    issuedFrom: filter?.issuedFrom ?? null,
    issuedTo: filter?.issuedTo ?? null,
    now,
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

@Resolver(() => ProcedureResult)
export class ProcedureResultResolver {
  @Query(() => ProcedureResultConnection, {
    // Nullable: one source down nulls only this field, not the whole response (as every root list).
    nullable: true,
    description: 'Procedure results the caller may see in full: a citizen the results they hold, an officer those issued by the own agency, an admin all.',
  })
  async procedureResults(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => ProcedureResultFilter, { nullable: true, description: 'Only the results matching these conditions.' }) filter: ProcedureResultFilter | null,
    @OrderByArg(ProcedureResultOrder, ProcedureResultOrder.ISSUED_AT, 'How to order the results.') orderBy: ProcedureResultOrder,
    @Ctx() ctx: GraphContext,
  ): Promise<ProcedureResultConnection> {
    const where = resultWhere(filter, ctx.now);
    const scope = await resultScopeFilter(ctx);
    if (!scope) return ProcedureResultConnection.empty();
    const { procedureResults } = ctx.repos.results;
    // The scope's conditions and the client's are ANDed in SQL.
    const scoped = { ...where, ...scope };
    const rows = await procedureResults.list(scoped, orderBy, ctx.cursors.page(page));
    return ProcedureResultConnection.of(rows, (row: ProcedureResultRow) => ProcedureResult.from(row, ctx.now), () => procedureResults.count(scoped));
  }

  @Query(() => ProcedureResult, { nullable: true, description: 'A result by its number, if the caller may see it in full (else null, as for a missing one).' })
  async procedureResult(
    @Arg('number', () => String, { description: 'Result number, as printed on the document.' }) number: string,
    @Ctx() ctx: GraphContext,
  ): Promise<ProcedureResult | null> {
    const scope = await resultScopeFilter(ctx);
    return scope ? loadAs(ctx.loaders.results.resultByNumber(scope), number, (row) => ProcedureResult.from(row, ctx.now)) : null;
  }

  @Query(() => ProcedureResultVerification, {
    nullable: true,
    description:
      'Public verification of a result document, open to every caller: VALID, REVOKED or EXPIRED when the number and the SHA-256 of the document name a result, UNKNOWN otherwise (a wrong hash too). It tells nothing about the holder.',
  })
  async verifyProcedureResult(
    @Arg('number', () => String, { description: 'Result number, as printed on the document.' }) number: string,
    @Arg('documentSha256', () => String, { description: 'SHA-256 of the document file, 64 hexadecimal digits (either case).' }) documentSha256: string,
    @Ctx() ctx: GraphContext,
  ): Promise<ProcedureResultVerification> {
    const hash = documentSha256.trim().toLowerCase();
    if (!SHA256_HEX.test(hash)) throw badUserInput('documentSha256 must be a SHA-256 in hexadecimal: 64 digits 0-9 and a-f');
    const row = await ctx.loaders.results.verification.load(documentKey({ number, documentSha256: hash }));
    return ProcedureResultVerification.of(number, row, ctx.now);
  }

  @FieldResolver(() => Dossier, { nullable: true, description: "The dossier this result answers, if the caller may see it in full (the caller's dossier scope)." })
  async dossier(@Root() result: ProcedureResult, @Ctx() ctx: GraphContext): Promise<Dossier | null> {
    const scope = await dossierScopeFilter(ctx);
    return scope ? loadAs(ctx.loaders.services.dossierInScope(scope), result.dossierId, (row) => Dossier.from(row, ctx.now)) : null;
  }

  @FieldResolver(() => ProcedureResultHolder, { nullable: true, description: 'The holder: a citizen (whose personal fields follow the policy) or a business, as in its register now.' })
  async holder(@Root() result: ProcedureResult, @Ctx() { loaders }: GraphContext): Promise<Citizen | Business | null> {
    if (result.holderKind === 'CITIZEN') return loadAs(loaders.population.citizenById, result.holderId, Citizen.from);
    return loadAs(loaders.business.businessById, result.holderId, Business.from);
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that issued it.' })
  async issuingAgency(@Root() result: ProcedureResult, @Ctx() { loaders }: GraphContext): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, result.issuingAgencyId, Agency.from);
  }
}

@Resolver(() => ProcedureResultVerification)
export class ProcedureResultVerificationResolver {
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that issued the document; null when UNKNOWN.' })
  async issuingAgency(@Root() verification: ProcedureResultVerification, @Ctx() { loaders }: GraphContext): Promise<Agency | null> {
    return loadAs(loaders.reference.agencyById, verification.issuingAgencyId, Agency.from);
  }
}
