import { wards } from '../../reference/seed/units.js';
import { Random } from '../../../seed/random.js';
import { SEED_TODAY } from '../../../seed/scales.js';
import type { IndicatorSeed, SeriesModel } from './indicators.js';

/** The first day of each of the last `months` months, oldest first, ending at the seed's month. */
export function monthPeriods(months: number): string[] {
  const year = SEED_TODAY.getUTCFullYear();
  const month = SEED_TODAY.getUTCMonth();
  return Array.from({ length: months }, (_, i) => new Date(Date.UTC(year, month - (months - 1 - i), 1)).toISOString().slice(0, 10));
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Standard normal draw (Box-Muller). */
function normal(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/** A count drawn around `mean`: Poisson where small (rounding would bias it down), else the mean. */
function count(r: Random, mean: number): number {
  if (mean >= 30) return Math.round(mean);
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r.next(); p > limit; p *= r.next()) k += 1;
  return k;
}

type Monthly = Exclude<SeriesModel, { kind: 'points' }>;

/** One value of a monthly model at month `t` (of `n`, the last being the seed's month). */
function monthlyValue(model: Monthly, r: Random, t: number, n: number, period: string, share: number, offset: number): number {
  const years = (t - (n - 1)) / 12;
  const season = 'seasonal' in model && model.seasonal ? model.seasonal[Number(period.slice(5, 7)) - 1]! : 1;
  switch (model.kind) {
    case 'total': {
      const mean = Math.max(0, model.level * share * season * (1 + model.growth) ** years * (1 + model.noise * normal(r)));
      return model.decimals === 0 ? count(r, mean) : round(mean, model.decimals);
    }
    case 'average':
      return round(clamp((model.level + offset + model.growth * years) * season + model.noise * normal(r), model.min, model.max), model.decimals);
    case 'ramp': {
      // The last month carries the reported figure exactly; earlier months lead up to it.
      const noise = t === n - 1 ? 0 : model.noise * normal(r);
      return round(clamp(model.last - model.step * (n - 1 - t) + noise, 0, model.max ?? Number.MAX_SAFE_INTEGER), model.decimals);
    }
  }
}

/**
 * Observation rows [id, indicator_id, period, ward_id, value] for every indicator (ids 1..n in
 * the given order). Ward indicators get a row per ward and month and the city-wide row after
 * them; each (indicator, place) draws from its own stream.
 */
export function* observationRows(seed: number, indicators: readonly IndicatorSeed[], months: number): Generator<unknown[]> {
  const periods = monthPeriods(months);
  const places = wards();
  const cityPopulation = places.reduce((sum, w) => sum + w.population, 0);
  let id = 0;
  for (const [index, indicator] of indicators.entries()) {
    const indicatorId = index + 1;
    const model = indicator.series;
    if (model.kind === 'points') {
      for (const [year, value] of model.points) yield [++id, indicatorId, `${year}-01-01`, null, value];
      continue;
    }
    if (indicator.granularity === 'CITY' || model.kind === 'ramp') {
      const r = Random.for(seed, 'ioc.observations', indicator.code, 'city');
      for (const [t, period] of periods.entries()) yield [++id, indicatorId, period, null, monthlyValue(model, r, t, periods.length, period, 1, 0)];
      continue;
    }
    const streams = places.map((w) => Random.for(seed, 'ioc.observations', indicator.code, w.id));
    const offsets = streams.map((r) => (model.kind === 'average' ? model.spread * normal(r) : 0));
    for (const [t, period] of periods.entries()) {
      let sum = 0;
      let weighted = 0;
      for (const [i, ward] of places.entries()) {
        const share = ward.population / cityPopulation;
        const value = monthlyValue(model, streams[i]!, t, periods.length, period, share, offsets[i]!);
        sum += value;
        weighted += value * share;
        yield [++id, indicatorId, period, ward.id, value];
      }
      yield [++id, indicatorId, period, null, round(model.kind === 'total' ? sum : weighted, model.decimals)];
    }
  }
}
