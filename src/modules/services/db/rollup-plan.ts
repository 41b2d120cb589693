/**
 * How a submission-time range [from, to) is counted from the rollups (db/rollups.ts): the whole
 * months in it from the month tables, the whole days at its ends from the day tables, and the
 * parts of a day at a bound that is not midnight in Đà Nẵng (only admins may give one) from the
 * dossiers themselves. The parts are disjoint and cover exactly the range.
 */
export interface RollupPlan {
  /** Instants [from, to) counted from `dossiers`: at most one part of a day at each end. */
  raw: Array<{ from: Date; to: Date }>;
  /** The whole days [from, to) ('YYYY-MM-DD', null: unbounded), or null when there are none. */
  days: DayRange | null;
  /** The whole months of `days`, first days of months [from, to), or null when there are none. */
  months: DayRange | null;
  /** The days of `days` outside `months`. */
  dayRanges: DayRange[];
}

export interface DayRange {
  from: string | null;
  to: string | null;
}

const DAY_MS = 86_400_000;
/** Đà Nẵng is UTC+7 all year (no daylight saving time). */
const DA_NANG_OFFSET_MS = 7 * 3_600_000;

/** Days are numbered from 1970-01-01 in Đà Nẵng time. */
const dayStart = (day: number): Date => new Date(day * DAY_MS - DA_NANG_OFFSET_MS);
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayNumber = (time: Date): number => (time.getTime() + DA_NANG_OFFSET_MS) / DAY_MS;

function monthStartOnOrAfter(day: number): number {
  const date = new Date(day * DAY_MS);
  if (date.getUTCDate() === 1) return day;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

function monthStartOnOrBefore(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

export function rollupPlan(from: Date | null | undefined, to: Date | null | undefined): RollupPlan {
  const none: RollupPlan = { raw: [], days: null, months: null, dayRanges: [] };
  if (from && to && from.getTime() >= to.getTime()) return none;
  // The first whole day on or after `from`, and the end of the last whole day before `to`.
  const d1 = from ? Math.ceil(dayNumber(from)) : null;
  const d2 = to ? Math.floor(dayNumber(to)) : null;
  // Both bounds inside one day: no whole day at all.
  if (d1 !== null && d2 !== null && d1 > d2) return { ...none, raw: [{ from: from!, to: to! }] };
  const raw: RollupPlan['raw'] = [];
  if (from && d1 !== null && dayStart(d1).getTime() > from.getTime()) raw.push({ from, to: dayStart(d1) });
  if (to && d2 !== null && dayStart(d2).getTime() < to.getTime()) raw.push({ from: dayStart(d2), to });
  if (d1 !== null && d1 === d2) return { ...none, raw };

  const days = { from: d1 === null ? null : isoDay(d1), to: d2 === null ? null : isoDay(d2) };
  const m1 = d1 === null ? null : monthStartOnOrAfter(d1);
  const m2 = d2 === null ? null : monthStartOnOrBefore(d2);
  if (m1 !== null && m2 !== null && m1 >= m2) return { raw, days, months: null, dayRanges: [days] };
  const dayRanges: DayRange[] = [];
  if (d1 !== null && m1 !== null && d1 < m1) dayRanges.push({ from: isoDay(d1), to: isoDay(m1) });
  if (d2 !== null && m2 !== null && m2 < d2) dayRanges.push({ from: isoDay(m2), to: isoDay(d2) });
  return { raw, days, months: { from: m1 === null ? null : isoDay(m1), to: m2 === null ? null : isoDay(m2) }, dayRanges };
}
