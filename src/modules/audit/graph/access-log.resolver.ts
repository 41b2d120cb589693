import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { gatewayError } from '../../../platform/errors.js';
import { Citizen } from '../../population/module.js';
import { ConnectionArgs } from '../../../platform/relay/connection.args.js';
import { AccessLogEntry, AccessLogEntryConnection, AccessLogVerification, PersonalDataAccess, PersonalDataAccessConnection } from './access-log.type.js';
import { AccessLogFilter } from './audit.inputs.js';
import { verifyAccessLogNow } from './verification.js';

function requireAuditor(ctx: GraphContext): void {
  if (!ctx.access.seesAll('accessLog')) throw gatewayError('FORBIDDEN', 'The access log is for auditors and admins');
}

@Resolver()
export class AccessLogResolver {
  @Query(() => AccessLogEntryConnection, { nullable: true, description: 'Who read which personal data, when and why; newest first (auditors, admins).' })
  async accessLog(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => AccessLogFilter, { nullable: true, description: 'Only the entries matching these conditions.' }) filter: AccessLogFilter | null,
    @Ctx() ctx: GraphContext,
  ): Promise<AccessLogEntryConnection> {
    requireAuditor(ctx);
    const where = {
      subjectType: filter?.subjectType ?? null,
      subjectId: filter?.subject ?? null,
      actor: filter?.actor ?? null,
      agency: filter?.agency ?? null,
      purpose: filter?.purpose ?? null,
      outcome: filter?.outcome ?? null,
      from: filter?.from ?? null,
      to: filter?.to ?? null,
    };
    const { accessLog } = ctx.repos.audit;
    return AccessLogEntryConnection.of(await accessLog.list(where, ctx.cursors.page(page)), AccessLogEntry.from, () => accessLog.count(where));
  }

  @Query(() => AccessLogVerification, { nullable: true, description: 'Verifies the whole hash chain now (auditors, admins).' })
  async accessLogVerification(@Ctx() ctx: GraphContext): Promise<AccessLogVerification> {
    requireAuditor(ctx);
    return verifyAccessLogNow(ctx);
  }

}

@Resolver(() => Citizen)
export class CitizenAccessLogResolver {
  @FieldResolver(() => PersonalDataAccessConnection, {
    nullable: true,
    description:
      "Who read this citizen's personal data or looked them up, when, which fields and why; newest first (look-ups by national id show whether or not the searcher found them). For the citizen themselves, auditors and admins.",
  })
  async accessLog(
    @Root() citizen: Citizen,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: GraphContext,
  ): Promise<PersonalDataAccessConnection> {
    const { nationalId } = citizen.personalSubject();
    if (!(await ctx.access.admitsCitizen('accessLog', citizen.rowId))) throw gatewayError('FORBIDDEN', 'Only the citizen, auditors and admins may see who read this data');
    // The reads of the person, and the look-ups of their national id, found or not.
    const anyOf = [{ type: 'CITIZEN', id: String(citizen.rowId) }, ...(nationalId ? [{ type: 'CRITERION', id: ctx.access.criterionSubjectId('nationalId', nationalId) }] : [])];
    const where = { anyOf };
    const { accessLog } = ctx.repos.audit;
    return PersonalDataAccessConnection.of(await accessLog.list(where, ctx.cursors.page(page)), PersonalDataAccess.from, () => accessLog.count(where));
  }
}
