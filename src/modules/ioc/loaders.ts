import type { IndicatorOrder, IndicatorWhere, IocRepositories, ObservationParentScope, ObservationRow, ObservationWhere, SeriesWhere } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, loaderFamily, mapLoader, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

/** What a page of an agency's indicators is cut by: the filter (row scope included) and the order. */
export interface IndicatorPageQuery {
  filter: IndicatorWhere;
  order: IndicatorOrder;
}

export function iocLoaders(repos: IocRepositories, options: LoaderOptions) {
  const { indicators, observations } = repos;
  return {
    indicatorById: idLoader((ids) => indicators.findByIds(ids), options),
    indicatorByCode: keyLoader((codes: readonly string[]) => indicators.findByCodes(codes), (row) => row.code, options),
    /** A page of indicators per owning agency, for a batch of agencies in one statement. */
    indicatorsByOwner: pageLoaderFamily(
      (parentIds, { filter, order }: IndicatorPageQuery, page) => indicators.pagesByOwner({ parentIds, filter, order, page }),
      options,
    ),
    indicatorCountByOwner: countLoaderFamily((parentIds, filter: IndicatorWhere) => indicators.countByOwner({ parentIds, filter }), options),
    observationCountByIndicator: countLoaderFamily((parentIds, filter: ObservationWhere) => observations.countByIndicator({ parentIds, filter }), options),
    observationById: idLoader((ids) => observations.findByIds(ids), options),
    /** Observations by id, only those whose indicator is in the scope (node(id): hidden costs what missing does). */
    observationInScope: loaderFamily((scope: ObservationParentScope) => idLoader((ids) => observations.findByIdsInScope(ids, scope), options)),
    /** A page of observations per indicator, for a batch of indicators in one statement. */
    indicatorObservations: pageLoaderFamily((parentIds, filter: ObservationWhere, page) => observations.pagesByIndicator({ parentIds, filter, page }), options),
    /** The newest observation of each indicator in a ward (or city-wide: null), one statement per ward asked. */
    indicatorLatest: loaderFamily((wardId: number | null) =>
      mapLoader<number, ObservationRow | null>((ids) => observations.latest(ids, wardId), null, options),
    ),
    /** Each indicator's points in a date range for one place, oldest first, one statement per range asked. */
    indicatorSeries: loaderFamily((filter: SeriesWhere) => mapLoader<number, ObservationRow[]>((ids) => observations.series(ids, filter), [], options)),
  };
}
