import DataLoader from 'dataloader';
import type { IndicatorFilter, IndicatorOrder, ObservationFilter, ObservationRow, SeriesFilter, IocRepositories } from './db/index.js';
import type { ObservationParentScope } from './db/observations.repository.js';
import { countLoaderFamily, idLoader, keyLoader, loaderFamily, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

/** What a page of an agency's indicators is cut by: the filter (row scope included) and the order. */
export interface IndicatorPageQuery {
  filter: IndicatorFilter;
  order: IndicatorOrder;
}

export function iocLoaders(repos: IocRepositories, options: LoaderOptions) {
  const { indicators, observations } = repos;
  const batchOptions = { batch: options.batch, maxBatchSize: 1000 };
  return {
    indicatorById: idLoader((ids) => indicators.findByIds(ids), options),
    indicatorByCode: keyLoader((codes: readonly string[]) => indicators.findByCodes(codes), (row) => row.code, options),
    /** A page of indicators per owning agency, for a batch of agencies in one statement. */
    indicatorsByOwner: pageLoaderFamily(
      (ids, query: IndicatorPageQuery, page) => indicators.pagesByOwner(ids, query.filter, query.order, page),
      options,
    ),
    indicatorCountByOwner: countLoaderFamily((ids, filter: IndicatorFilter) => indicators.countByOwner(ids, filter), options),
    observationCountByIndicator: countLoaderFamily((ids, filter: ObservationFilter) => observations.countByIndicator(ids, filter), options),
    observationById: idLoader((ids) => observations.findByIds(ids), options),
    /** Observations by id, only those whose indicator is in the scope (node(id): hidden costs what missing does). */
    observationInScope: loaderFamily((scope: ObservationParentScope) => idLoader((ids) => observations.findByIdsInScope(ids, scope), options)),
    /** A page of observations per indicator, for a batch of indicators in one statement. */
    indicatorObservations: pageLoaderFamily((ids, filter: ObservationFilter, page) => observations.pagesByIndicator(ids, filter, page), options),
    /** The newest observation of each indicator in a ward (or city-wide: null), one statement per ward asked. */
    indicatorLatest: loaderFamily(
      (wardId: number | null) =>
        new DataLoader<number, ObservationRow | null>(async (ids) => {
          const latest = await observations.latest(ids, wardId);
          return ids.map((id) => latest.get(id) ?? null);
        }, batchOptions),
    ),
    /** Each indicator's points in a date range for one place, oldest first, one statement per range asked. */
    indicatorSeries: loaderFamily(
      (filter: SeriesFilter) =>
        new DataLoader<number, ObservationRow[]>(async (ids) => {
          const series = await observations.series(ids, filter);
          return ids.map((id) => series.get(id) ?? []);
        }, batchOptions),
    ),
  };
}
