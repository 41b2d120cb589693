import type { Random } from '../../../seed/random.js';

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving). */
const OFFSET = 7 * HOUR;
/** Room after the last submission day for due dates and late results. */
const DAYS_AFTER = 400;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Da Nang's calendar over the seeded window, precomputed so that the per-dossier hot loop does
 * integer arithmetic and table lookups only: local days, weekdays, working-day arithmetic and
 * timestamp text for COPY.
 */
export class Calendar {
  /** Days in the submission window, the last one being the day of `today`. */
  readonly days: number;
  private readonly firstLocalDay: number;
  /** Day indexes (in the window) of Monday to Friday. */
  private readonly officeDays: number[] = [];
  /** Day indexes of working days, past the window too. */
  private readonly workdays: number[] = [];
  /** For each day index, the position in `workdays` of the first working day after it. */
  private readonly nextWorkday: Int32Array;
  private readonly weekend: Uint8Array;
  /** 'YYMMDD' of each local day, for dossier codes; 'DD/MM/YYYY' for notes. */
  private readonly yymmdd: string[] = [];
  private readonly dmy: string[] = [];
  /** 'YYYY-MM-DDT' of each UTC day and 'HH:MM:SS' of each second of a day. */
  private readonly utcDays: string[] = [];
  private readonly firstUtcDay: number;
  private readonly clock: string[] = [];

  constructor(
    readonly today: number,
    windowDays: number,
  ) {
    const todayLocal = Math.floor((today + OFFSET) / DAY);
    this.days = windowDays;
    this.firstLocalDay = todayLocal - windowDays + 1;
    const total = windowDays + DAYS_AFTER;
    this.weekend = new Uint8Array(total);
    this.nextWorkday = new Int32Array(total);
    for (let i = 0; i < total; i += 1) {
      const local = this.firstLocalDay + i;
      const weekday = (local + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
      const isWeekend = weekday === 0 || weekday === 6;
      this.weekend[i] = isWeekend ? 1 : 0;
      if (!isWeekend) {
        this.workdays.push(i);
        if (i < windowDays) this.officeDays.push(i);
      }
      const date = new Date(local * DAY);
      const y = date.getUTCFullYear();
      const m = pad2(date.getUTCMonth() + 1);
      const d = pad2(date.getUTCDate());
      this.yymmdd.push(`${String(y).slice(2)}${m}${d}`);
      this.dmy.push(`${d}/${m}/${y}`);
    }
    let position = this.workdays.length;
    for (let i = total - 1; i >= 0; i -= 1) {
      this.nextWorkday[i] = position;
      if (!this.weekend[i]) position -= 1;
    }
    this.firstUtcDay = this.firstLocalDay - 1;
    for (let i = 0; i < total + 2; i += 1) this.utcDays.push(`${new Date((this.firstUtcDay + i) * DAY).toISOString().slice(0, 10)}T`);
    for (let s = 0; s < 86_400; s += 1) this.clock.push(`${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`);
  }

  /** Local midnight of day `index`, as epoch milliseconds. */
  dayStart(index: number): number {
    return (this.firstLocalDay + index) * DAY - OFFSET;
  }

  /** The window's day index of a moment. */
  dayOf(time: number): number {
    return Math.floor((time + OFFSET) / DAY) - this.firstLocalDay;
  }

  isWeekend(index: number): boolean {
    return this.weekend[index] === 1;
  }

  /** A random Monday-to-Friday day of the window. */
  officeDay(rng: Random): number {
    return this.officeDays[Math.floor(rng.next() * this.officeDays.length)]!;
  }

  /** A moment in office hours (08:00 to 16:30) on the day of `time`, or on the Monday after a weekend. */
  officeTime(time: number, rng: Random): number {
    let day = this.dayOf(time);
    while (this.weekend[day]) day += 1;
    return this.dayStart(day) + rng.int(8 * 3600, 16.5 * 3600) * SECOND;
  }

  /** The same time of day `workingDays` working days later (counted from the next working day). */
  addWorkingDays(time: number, workingDays: number): number {
    const index = this.dayOf(time);
    const due = this.workdays[this.nextWorkday[index]! + workingDays - 1]!;
    return time + (due - index) * DAY;
  }

  yymmddOf(time: number): string {
    return this.yymmdd[this.dayOf(time)]!;
  }

  dmyOf(time: number): string {
    return this.dmy[this.dayOf(time)]!;
  }

  /** ISO 8601 in UTC to the second, as COPY reads a timestamptz; `time` is whole seconds. */
  format(time: number): string {
    const utcDay = Math.floor(time / DAY);
    return `${this.utcDays[utcDay - this.firstUtcDay]}${this.clock[(time - utcDay * DAY) / SECOND]}Z`;
  }
}
