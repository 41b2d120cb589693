import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { AdministrativeUnit } from '../../reference/module.js';
import { indicatorRowScope, isIndicatorInScope } from '../scope.js';
import { Indicator } from './indicator.type.js';
import { Observation } from './observation.type.js';

@Resolver(() => Observation)
export class ObservationResolver {
  @FieldResolver(() => AdministrativeUnit, { nullable: true, description: 'The ward observed; null for the city-wide value.' })
  async ward(@Root() observation: Observation, @Ctx() { loaders }: GraphContext): Promise<AdministrativeUnit | null> {
    return loadAs(loaders.reference.unitById, observation.wardId, AdministrativeUnit.from);
  }

  @FieldResolver(() => Indicator, { nullable: true, description: 'The indicator observed.' })
  async indicator(@Root() observation: Observation, @Ctx() ctx: GraphContext): Promise<Indicator | null> {
    return loadInScopeAs(ctx.loaders.ioc.indicatorById, observation.indicatorId, () => indicatorRowScope(ctx), isIndicatorInScope, Indicator.from);
  }
}
