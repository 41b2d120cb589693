import type { NodeFetcher } from '../../../platform/relay/node.resolver.js';
import type { GraphContext } from '../../context.js';
import { loadAs, loadInScopeAs } from '../../../platform/relay/load-as.js';
import { AgencyIndicatorsResolver } from './agency-indicators.resolver.js';
import { indicatorRowScope, isIndicatorInScope } from '../scope.js';
import { IndicatorResolver } from './indicator.resolver.js';
import { Indicator } from './indicator.type.js';
import { ObservationResolver } from './observation.resolver.js';
import { Observation } from './observation.type.js';
import { ObservationSubscriptionResolver } from './observation.subscription.js';

export const iocNodes: Record<string, NodeFetcher<GraphContext>> = {
  // node(id) applies the same row scope as every list: a hidden indicator answers null like a missing one.
  Indicator: (id, ctx) => loadInScopeAs(ctx.loaders.ioc.indicatorById, id, () => indicatorRowScope(ctx), isIndicatorInScope, Indicator.from),
  // An observation is visible exactly when its indicator is; the indicator's scope is checked in
  // the same statement, so one of a hidden indicator costs exactly what a missing one does.
  Observation: async (id, ctx) => {
    return loadAs(ctx.loaders.ioc.observationInScope(await indicatorRowScope(ctx)), id, Observation.from);
  },
};

export const iocResolvers = [IndicatorResolver, ObservationResolver, AgencyIndicatorsResolver, ObservationSubscriptionResolver] as const;
