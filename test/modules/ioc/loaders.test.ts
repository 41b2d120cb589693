import { describe, expect, it } from 'vitest';
import type { IocRepositories, ObservationRow } from '../../../src/modules/ioc/db/index.js';
import { iocLoaders } from '../../../src/modules/ioc/loaders.js';

/**
 * The IOC's latest-value and series loaders are made by the platform's factories like every
 * other loader: their batches reach the metrics hook given in the loader options.
 */
const row = (indicator_id: number, period: string): ObservationRow => ({ id: indicator_id * 100, indicator_id, period, ward_id: null, value: 1 });

const observations = {
  async latest(ids: readonly number[]) {
    return new Map(ids.filter((id) => id !== 3).map((id) => [id, row(id, '2024-01-01')]));
  },
  async series(ids: readonly number[]) {
    return new Map(ids.map((id) => [id, [row(id, '2023-01-01'), row(id, '2024-01-01')]]));
  },
};
const repos = { indicators: {}, observations } as unknown as IocRepositories;

describe('ioc loaders', () => {
  it('batch the latest values and the series, and tell the metrics hook each batch', async () => {
    const batches: number[] = [];
    const loaders = iocLoaders(repos, { batch: true, onBatch: (size) => batches.push(size) });
    const latest = await Promise.all([1, 2, 3].map((id) => loaders.indicatorLatest(null).load(id)));
    expect(latest.map((r) => r?.indicator_id ?? null)).toEqual([1, 2, null]);
    const series = await Promise.all([1, 2].map((id) => loaders.indicatorSeries({ from: null, to: null }).load(id)));
    expect(series.map((points) => points.length)).toEqual([2, 2]);
    expect(batches).toEqual([3, 2]);
  });

  it('tell nothing to a gateway that did not ask (no hook: no process-wide listeners)', async () => {
    const heard: number[] = [];
    const other = iocLoaders(repos, { batch: true, onBatch: (size) => heard.push(size) });
    const quiet = iocLoaders(repos, { batch: true });
    await quiet.indicatorLatest(null).load(1);
    expect(heard).toEqual([]);
    await other.indicatorLatest(null).load(1);
    expect(heard).toEqual([1]);
  });
});
